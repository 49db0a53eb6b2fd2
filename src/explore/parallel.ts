// Sweeps on worker threads, and the determinism self-check. Chunks of seeds go to the pool; their
// outcomes are fed to the sweep's tally in seed order, so the result is the serial sweep's whatever
// the timing (the first divergence is the lowest seed, and so is each invariant's first seed). The check re-executes seeds on another
// thread than the one that first ran them and compares physical hashes; a mismatch is reported as
// non-determinism with the first event where the two traces part, never as a pass or divergence.

import type { TraceEvent } from "../core/events.ts";
import type { ExecutionResult } from "../execution/execute.ts";
import type { ScenarioModule } from "./loader.ts";
import { finishSweep, seedsOf, SeedRunner, sweep, type SweepRequest, type SweepResult } from "./sweep.ts";
import { SweepTally, type SeedOutcome } from "./tally.ts";
import type { WorkerPool } from "./workers/pool.ts";
import type { SeedCheck, SweepJob, WorkerReply } from "./workers/sweepWorker.ts";

export type DeterminismMode = "off" | "sample" | "all";
/** By default the check re-executes one seed in this many (those with (seed - from) % N = 0). */
export const DETERMINISM_SAMPLE_EVERY = 10;
/** Seeds per task sent to a worker: small enough that a sweep stopping early wastes little. */
const CHUNK_SEEDS_MAX = 16;

export interface Nondeterminism {
  readonly seed: number;
  /** The physical hashes of the first run and of the re-execution on another thread. */
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
  readonly determinism: DeterminismReport | undefined;
}

export interface RunSweepOptions {
  /** Where workers load the scenario from. */
  readonly module: ScenarioModule;
  /** How the user named the scenario, for messages. */
  readonly source: string;
  /** Run the sweep on these workers; absent, in this thread. Checks need a pool either way. */
  readonly pool: WorkerPool | undefined;
  readonly parallel: boolean;
  readonly determinism: DeterminismMode;
}

export function isChecked(mode: DeterminismMode, seedFrom: number, seed: number): boolean {
  return mode === "all" || (mode === "sample" && (seed - seedFrom) % DETERMINISM_SAMPLE_EVERY === 0);
}

export async function runSweep(request: SweepRequest, options: RunSweepOptions): Promise<SweepRun> {
  const { variant, workloadSeed, sizes, faults, limits, varyWorkload } = request;
  const job: SweepJob = { scenario: options.module, source: options.source, variant, workloadSeed, sizes, faults, limits, varyWorkload };
  const pool = options.pool;
  const checking = options.determinism !== "off" && pool !== undefined;
  const checker = new Checker(job, request, pool);
  if (!options.parallel || pool === undefined) {
    const result = sweep(request);
    if (checking) checker.check(result.outcomes.filter((outcome) => isChecked(options.determinism, request.seedFrom, outcome.seed)), undefined);
    return { result, determinism: await checker.report(result.outcomes, checking) };
  }
  const tally = new SweepTally(request.stopAtFirstDivergence);
  const seeds = seedsOf(request);
  const chunkSize = Math.max(1, Math.min(CHUNK_SEEDS_MAX, Math.ceil(seeds.length / (pool.size * 4))));
  const chunks: number[][] = [];
  for (let start = 0; start < seeds.length; start += chunkSize) chunks.push(seeds.slice(start, start + chunkSize));
  const done: (Extract<WorkerReply, { kind: "sweep" }> | undefined)[] = [];
  const ranOn: number[] = [];
  let flushed = 0;
  const flush = (): void => {
    for (; flushed < chunks.length && done[flushed] !== undefined && !tally.stopped; flushed++) {
      const { outcomes, trouble } = done[flushed]!;
      for (const outcome of outcomes) {
        if (tally.stopped) break;
        tally.add(outcome);
        request.onSeed?.(tally.outcomes.length, tally.divergences);
      }
      if (trouble !== null && !tally.stopped) tally.addTrouble(trouble);
    }
  };
  const inFlight = new Set<Promise<void>>();
  for (let next = 0; ; ) {
    while (!tally.stopped && next < chunks.length && inFlight.size < pool.size * 2) {
      const index = next++;
      const task = pool.run({ kind: "sweep", job, seeds: chunks[index]! }).then(({ reply, worker }) => {
        if (reply.kind !== "sweep") throw new Error(`a worker answered a sweep with '${reply.kind}'`);
        done[index] = reply;
        ranOn[index] = worker;
        flush();
        if (checking) checker.check(reply.outcomes.filter((outcome) => isChecked(options.determinism, request.seedFrom, outcome.seed)), worker);
      });
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task)).catch(() => undefined);
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight);
  }
  const firstBreaks = firstBreaksOf(request, tally, checker, ranOn, chunkSize);
  const result = finishSweep(request, tally, firstBreaks);
  return { result, determinism: await checker.report(result.outcomes, checking) };
}

/**
 * The full executions of the seeds that first broke each invariant (the first divergence among
 * them), re-run here; a different hash is non-determinism too.
 */
function firstBreaksOf(request: SweepRequest, tally: SweepTally, checker: Checker, ranOn: readonly number[], chunkSize: number): ExecutionResult[] {
  const runner = new SeedRunner(request);
  return tally.firstBreakingSeeds.map((seed) => {
    const result = runner.execute(seed);
    const position = tally.outcomes.findIndex((candidate) => candidate.seed === seed);
    const worker = ranOn[Math.floor(position / chunkSize)];
    checker.track(checker.compare(tally.outcomes[position]!, { seed, physicalHash: result.physicalHash, trace: result.trace }, worker));
    return result;
  });
}

/** Re-executes seeds on another thread and explains each hash that differs. */
class Checker {
  private readonly pending: Promise<void>[] = [];
  private readonly checked: number[] = [];
  private readonly mismatches: Nondeterminism[] = [];

  constructor(private readonly job: SweepJob, private readonly request: SweepRequest, private readonly pool: WorkerPool | undefined) {}

  /** Queues the re-execution of these outcomes' seeds on any worker but `firstWorker`. */
  check(outcomes: readonly SeedOutcome[], firstWorker: number | undefined): void {
    if (outcomes.length === 0 || this.pool === undefined) return;
    const task = { kind: "check" as const, job: this.job, seeds: outcomes.map((outcome) => outcome.seed), physicalHashes: outcomes.map((outcome) => outcome.physicalHash) };
    const placement = firstWorker === undefined ? {} : { avoid: firstWorker };
    this.track(
      this.pool.run(task, placement).then(async ({ reply }) => {
        if (reply.kind !== "check") throw new Error(`a worker answered a check with '${reply.kind}'`);
        for (const [index, check] of reply.checks.entries()) {
          this.checked.push(check.seed);
          await this.compare(outcomes[index]!, check, firstWorker);
        }
      }),
    );
  }

  track(work: Promise<void>): void {
    this.pending.push(work);
  }

  /** Compares a second run with the first; on a difference, runs the seed again where it first ran. */
  async compare(first: SeedOutcome, second: SeedCheck, firstWorker: number | undefined): Promise<void> {
    if (second.physicalHash === first.physicalHash) return;
    let firstTrace: readonly TraceEvent[];
    if (firstWorker === undefined || this.pool === undefined) firstTrace = new SeedRunner(this.request).execute(first.seed).trace;
    else {
      const { reply } = await this.pool.run({ kind: "trace", job: this.job, seed: first.seed }, { on: firstWorker });
      firstTrace = reply.kind === "trace" ? reply.trace : [];
    }
    this.mismatches.push({ seed: first.seed, physicalHashes: [first.physicalHash, second.physicalHash], firstParting: parting(firstTrace, second.trace ?? []) });
  }

  /**
   * The checks of the seeds the sweep counted (a parallel sweep may run a few past its stop); also
   * when not checking, if the first divergence's re-run here found a difference.
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
