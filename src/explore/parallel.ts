// Sweeps on worker threads, and the determinism self-check. Chunks of seeds go to the pool; their
// outcomes are fed to the sweep's tally in seed order, so the result is the serial sweep's whatever
// the timing (the first divergence is the lowest seed, and so is each invariant's first seed). A chunk whose execution is lost (hung past
// the watchdog, out of heap: workers/pool.ts) gives that seed a `hung` or `out-of-memory` outcome,
// and the seeds before it run again on a fresh worker. The check re-executes seeds on another
// thread than the one that first ran them and compares physical hashes; a mismatch is reported as
// non-determinism with the first event where the two traces part, never as a pass or divergence.

import { DsimBug, NondeterminismError } from "../core/errors.ts";
import type { TraceEvent } from "../core/events.ts";
import type { LostExecution } from "../execution/lost.ts";
import type { ScenarioModule } from "./loader.ts";
import { finishSweep, seedsOf, type SweepRequest, type SweepResult } from "./sweep.ts";
import { SweepTally, type LostSeed, type ScenarioTrouble, type SeedOutcome } from "./tally.ts";
import { executeOnPool, type Executed } from "./workers/onPool.ts";
import { ExecutionLost, type WorkerPool } from "./workers/pool.ts";
import type { SeedCheck, SweepJob } from "./workers/tasks.ts";

export type DeterminismMode = "off" | "sample" | "all";
/** By default the check re-executes one seed in this many (those with (seed - from) % N = 0). */
export const DETERMINISM_SAMPLE_EVERY = 10;
/** Seeds per task sent to a worker: small enough that a sweep stopping early wastes little. */
const CHUNK_SEEDS_MAX = 16;

export interface Nondeterminism {
  readonly seed: number;
  /** The physical hashes of the first run and of the re-execution on another thread (or how the re-execution was lost). */
  readonly physicalHashes: readonly [string, string];
  /** Where the traces part (index in the trace), or null if the difference could not be caught again. */
  readonly firstParting: { readonly index: number; readonly first: TraceEvent | null; readonly second: TraceEvent | null } | null;
}

export interface DeterminismReport {
  readonly checkedSeeds: readonly number[];
  readonly mismatches: readonly Nondeterminism[];
}

export interface SweepRun {
  readonly result: SweepResult;
  /** The first divergence run again on a worker: with its reference and the decisions it followed. */
  readonly firstDivergence: Executed | undefined;
  readonly determinism: DeterminismReport | undefined;
}

export interface RunSweepOptions {
  /** Where workers load the scenario from. */
  readonly module: ScenarioModule;
  /** How the user named the scenario, for messages. */
  readonly source: string;
  /** The workers every execution runs on. */
  readonly pool: WorkerPool;
  readonly determinism: DeterminismMode;
}

export function isChecked(mode: DeterminismMode, seedFrom: number, seed: number): boolean {
  return mode === "all" || (mode === "sample" && (seed - seedFrom) % DETERMINISM_SAMPLE_EVERY === 0);
}

/** The seed whose execution did not finish, as the tally counts it. */
export function lostSeedOf(seed: number, workloadSeed: number, lost: LostExecution): LostSeed {
  return { seed, workloadSeed, verdict: lost.verdict, message: lost.message };
}

/** What a chunk of seeds gives: their outcomes, up to a seed the scenario broke or that did not finish. */
interface ChunkDone {
  readonly outcomes: readonly SeedOutcome[];
  readonly trouble: ScenarioTrouble | null;
  readonly lost: LostSeed | null;
}

export async function runSweep(request: SweepRequest, options: RunSweepOptions): Promise<SweepRun> {
  const { variant, workloadSeed, sizes, faults, limits, varyWorkload } = request;
  const job: SweepJob = { scenario: options.module, source: options.source, variant, workloadSeed, sizes, faults, limits, varyWorkload };
  const pool = options.pool;
  const checking = options.determinism !== "off";
  const checker = new Checker(job, pool);
  const tally = new SweepTally(request.stopAtFirstDivergence);
  const seeds = seedsOf(request);
  const chunkSize = Math.max(1, Math.min(CHUNK_SEEDS_MAX, Math.ceil(seeds.length / (pool.size * 4))));
  const chunks: number[][] = [];
  for (let start = 0; start < seeds.length; start += chunkSize) chunks.push(seeds.slice(start, start + chunkSize));
  const done: (ChunkDone | undefined)[] = [];
  const ranOn = new Map<number, number>();
  let flushed = 0;
  const flush = (): void => {
    for (; flushed < chunks.length && done[flushed] !== undefined && !tally.stopped; flushed++) {
      const { outcomes, trouble, lost } = done[flushed]!;
      for (const outcome of outcomes) {
        if (tally.stopped) break;
        tally.add(outcome);
        request.onSeed?.(tally.outcomes.length, tally.divergences);
      }
      if (trouble !== null && !tally.stopped) tally.addTrouble(trouble);
      if (lost !== null && !tally.stopped) tally.addLost(lost);
    }
  };
  const workloadOf = (seed: number) => (varyWorkload ? seed : workloadSeed);
  /** The lowest seed lost so far: the count ends there, so later chunks need not run. */
  let lostFrom = Infinity;
  /** A chunk's outcomes; a lost execution ends the chunk (the tally stops there), the seeds before it run again. */
  const runChunk = async (chunk: readonly number[]): Promise<ChunkDone> => {
    try {
      const { reply, worker } = await pool.run({ kind: "sweep", job, seeds: chunk });
      for (const outcome of reply.outcomes) ranOn.set(outcome.seed, worker);
      if (checking) checker.check(reply.outcomes.filter((outcome) => isChecked(options.determinism, request.seedFrom, outcome.seed)), worker);
      return { outcomes: reply.outcomes, trouble: reply.trouble, lost: null };
    } catch (error) {
      if (!(error instanceof ExecutionLost)) throw error;
      const seed = chunk[error.position];
      if (seed === undefined) throw new DsimBug(`a worker was lost at item ${error.position} of a chunk of ${chunk.length} seeds`);
      lostFrom = Math.min(lostFrom, seed);
      const before = error.position === 0 ? { outcomes: [], trouble: null, lost: null } : await runChunk(chunk.slice(0, error.position));
      return { ...before, lost: before.trouble === null ? lostSeedOf(seed, workloadOf(seed), error.lost) : null };
    }
  };
  const inFlight = new Set<Promise<void>>();
  for (let next = 0; ; ) {
    while (!tally.stopped && next < chunks.length && chunks[next]![0]! < lostFrom && inFlight.size < pool.size * 2) {
      const index = next++;
      const task = runChunk(chunks[index]!).then((chunkDone) => {
        done[index] = chunkDone;
        flush();
      });
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task)).catch(() => undefined);
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight);
  }
  const firstBreaks = await firstBreaksOf(request, job, tally, checker, pool, ranOn);
  const result = finishSweep(request, tally, firstBreaks.map((executed) => executed.result));
  return { result, firstDivergence: firstBreaks[0], determinism: await checker.report(result.outcomes, checking) };
}

/**
 * The full executions of the seeds that first broke each invariant (the first divergence among
 * them), run again on a worker; a different hash is non-determinism too.
 */
async function firstBreaksOf(
  request: SweepRequest, job: SweepJob, tally: SweepTally, checker: Checker, pool: WorkerPool, ranOn: ReadonlyMap<number, number>,
): Promise<Executed[]> {
  return Promise.all(
    tally.firstBreakingSeeds.map(async (seed) => {
      const worker = ranOn.get(seed);
      const workloadSeed = request.varyWorkload ? seed : request.workloadSeed;
      // On another worker than the one that ran it where there is one: a free check across threads.
      const outcome = await executeOnPool(pool, { ...job, workloadSeed, varyWorkload: false }, seed, null, worker === undefined || pool.size === 1 ? {} : { avoid: worker });
      if (outcome.kind === "lost") throw new NondeterminismError(`seed ${seed} broke an invariant in the sweep but its execution did not finish when run again (${outcome.lost.verdict})`);
      const first = tally.outcomes.find((candidate) => candidate.seed === seed)!;
      checker.track(checker.compare(first, { seed, physicalHash: outcome.result.physicalHash, trace: outcome.result.trace }, worker));
      return outcome;
    }),
  );
}

/** Re-executes seeds on another thread and explains each hash that differs. */
class Checker {
  private readonly pending: Promise<void>[] = [];
  private readonly checked: number[] = [];
  private readonly mismatches: Nondeterminism[] = [];

  constructor(private readonly job: SweepJob, private readonly pool: WorkerPool) {}

  /** Queues the re-execution of these outcomes' seeds on any worker but `firstWorker`. */
  check(outcomes: readonly SeedOutcome[], firstWorker: number): void {
    if (outcomes.length === 0) return;
    this.track(this.recheck(outcomes, firstWorker));
  }

  private async recheck(outcomes: readonly SeedOutcome[], firstWorker: number): Promise<void> {
    const task = { kind: "check" as const, job: this.job, seeds: outcomes.map((outcome) => outcome.seed), physicalHashes: outcomes.map((outcome) => outcome.physicalHash) };
    try {
      const { reply } = await this.pool.run(task, this.pool.size > 1 ? { avoid: firstWorker } : {});
      for (const [index, check] of reply.checks.entries()) {
        this.checked.push(check.seed);
        await this.compare(outcomes[index]!, check, firstWorker);
      }
    } catch (error) {
      if (!(error instanceof ExecutionLost)) throw error;
      // A seed that finished once and not the second time: non-determinism. Check the others again.
      const lost = outcomes[error.position]!;
      this.checked.push(lost.seed);
      this.mismatches.push({ seed: lost.seed, physicalHashes: [lost.physicalHash, error.lost.verdict], firstParting: null });
      const others = outcomes.filter((_, index) => index !== error.position);
      if (others.length > 0) await this.recheck(others, firstWorker);
    }
  }

  track(work: Promise<void>): void {
    this.pending.push(work);
  }

  /** Compares a second run with the first; on a difference, runs the seed again where it first ran. */
  async compare(first: SeedOutcome, second: SeedCheck, firstWorker: number | undefined): Promise<void> {
    if (second.physicalHash === first.physicalHash) return;
    let firstTrace: readonly TraceEvent[] = [];
    try {
      const { reply } = await this.pool.run({ kind: "trace", job: this.job, seed: first.seed }, firstWorker === undefined ? {} : { on: firstWorker });
      firstTrace = reply.trace;
    } catch (error) {
      if (!(error instanceof ExecutionLost)) throw error;
    }
    this.mismatches.push({ seed: first.seed, physicalHashes: [first.physicalHash, second.physicalHash], firstParting: parting(firstTrace, second.trace ?? []) });
  }

  /**
   * The checks of the seeds the sweep counted (a parallel sweep may run a few past its stop); also
   * when not checking, if the first divergence's re-run found a difference.
   */
  async report(counted: readonly SeedOutcome[], checking: boolean): Promise<DeterminismReport | undefined> {
    await Promise.all(this.pending);
    if (!checking && this.mismatches.length === 0) return undefined;
    const last = counted[counted.length - 1]?.seed ?? -1;
    const inRange = (seed: number) => seed <= last;
    return {
      checkedSeeds: this.checked.filter(inRange).sort((a, b) => a - b),
      mismatches: this.mismatches.filter((mismatch) => inRange(mismatch.seed)).sort((a, b) => a.seed - b.seed),
    };
  }
}

function parting(first: readonly TraceEvent[], second: readonly TraceEvent[]): Nondeterminism["firstParting"] {
  const length = Math.max(first.length, second.length);
  for (let index = 0; index < length; index++) {
    if (JSON.stringify(first[index]) !== JSON.stringify(second[index])) return { index, first: first[index] ?? null, second: second[index] ?? null };
  }
  return null;
}
