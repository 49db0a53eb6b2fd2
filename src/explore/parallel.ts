// Sweeps on worker threads, and the determinism self-check. Chunks of seeds go to the pool; their
// outcomes are fed to the sweep's tally in seed order, so the result is the serial sweep's whatever
// the timing (the first divergence is the lowest seed, and so is each invariant's first seed). A
// chunk is sized to the execution time measured so far (ChunkSizer), and the pool grows a worker
// only while the work left would outlast that worker's start-up. A chunk whose execution is lost (hung past
// the watchdog, out of heap: workers/pool.ts) gives that seed a `hung` or `out-of-memory` outcome,
// and the seeds before it run again on a fresh worker. Each seed that first broke an invariant is
// run again in full (for its replay file and page) as soon as the tally counts it, and the caller
// is told, so that its shrink can start while the sweep goes on. The check re-executes seeds on another
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
/**
 * The wall-clock time a chunk of seeds aims at: long enough that a round trip to the worker (well
 * under a millisecond) is noise, short enough that the workers end together and a sweep that stops
 * at its first divergence runs little past it.
 */
export const CHUNK_TARGET_MS = 50;
/** Seeds of a chunk before any execution of the sweep was timed. */
export const CHUNK_SEEDS_FIRST = 4;
/** The most seeds in one chunk (its outcomes cross the thread in one message). */
export const CHUNK_SEEDS_MAX = 1024;
/** Near the end, chunks shrink so that each worker still gets this many: the last ones end together. */
const CHUNKS_PER_WORKER_AT_END = 2;
/** A worker is added when the work left, shared among the workers there are, exceeds its start-up this many times. */
const GROW_WHEN_WORK_LEFT_EXCEEDS_STARTS = 2;

/**
 * Sizes chunks of seeds from the execution time measured so far. The first chunk timed carries the
 * worker's warm-up (the JIT compiling the scenario), so once another was timed it no longer counts.
 */
export class ChunkSizer {
  private seedsTimed = 0;
  private msTimed = 0;
  private chunksTimed = 0;

  observe(seeds: number, executionMs: number): void {
    this.chunksTimed++;
    if (this.chunksTimed === 2) {
      this.seedsTimed = 0;
      this.msTimed = 0;
    }
    this.seedsTimed += seeds;
    this.msTimed += executionMs;
    if (seeds > 0) this.latestMsPerSeed = Math.max(executionMs / seeds, 1e-3);
  }

  /** The mean wall-clock time of one seed so far, or undefined before any was timed. */
  get msPerSeed(): number | undefined {
    return this.seedsTimed === 0 ? undefined : Math.max(this.msTimed / this.seedsTimed, 1e-3);
  }

  /** The time per seed of the latest chunk (the warmest), or undefined before one was timed. */
  latestMsPerSeed: number | undefined;

  /** The next chunk's seed count, with `remaining` seeds left for `workers` workers. */
  next(remaining: number, workers: number): number {
    const msPerSeed = this.msPerSeed;
    const byTime = msPerSeed === undefined ? CHUNK_SEEDS_FIRST : Math.floor(CHUNK_TARGET_MS / msPerSeed);
    const balanced = Math.ceil(remaining / (workers * CHUNKS_PER_WORKER_AT_END));
    return Math.max(1, Math.min(byTime, balanced, CHUNK_SEEDS_MAX, remaining));
  }
}

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
  /** Seeds of the sweeps still to come after this one (a plan's later variants): work that pays for growing the pool. */
  readonly seedsAfter?: number;
  /** Where this sweep's tasks queue among others on the pool (a plan's variant index: lower runs first). */
  readonly priority?: number;
  /**
   * Told of each seed that first broke some invariant as soon as the tally counts it (seeds are
   * counted in order, so none before it is still running), with its execution run again: a
   * caller can start work on it (a shrink) while the sweep goes on.
   */
  readonly onFirstBreak?: (outcome: SeedOutcome, executed: Promise<Executed>) => void;
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
  const checker = new Checker(job, pool, options.priority ?? 0);
  const tally = new SweepTally(request.stopAtFirstDivergence);
  const seeds = seedsOf(request);
  const priority = options.priority ?? 0;
  const sizer = new ChunkSizer();
  /** The chunks handed out so far, in seed order; the next starts at seeds[handedOut]. */
  const chunks: number[][] = [];
  let handedOut = 0;
  const done: (ChunkDone | undefined)[] = [];
  const ranOn = new Map<number, number>();
  let flushed = 0;
  // Each seed that first broke an invariant is run again as soon as it is counted, not after the
  // sweep: a shrink of it (the caller's) then runs beside the rest of the sweep.
  const firstBreaks = new Map<number, Promise<Executed>>();
  const flush = (): void => {
    for (; flushed < chunks.length && done[flushed] !== undefined && !tally.stopped; flushed++) {
      const { outcomes, trouble, lost } = done[flushed]!;
      for (const outcome of outcomes) {
        if (tally.stopped) break;
        if (tally.add(outcome)) {
          const executed = runFirstBreakAgain(request, job, outcome, checker, pool, ranOn.get(outcome.seed), priority);
          // Awaited after the sweep; until then a failure must not count as unhandled.
          executed.catch(() => undefined);
          firstBreaks.set(outcome.seed, executed);
          options.onFirstBreak?.(outcome, executed);
        }
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
      const { reply, worker } = await pool.run({ kind: "sweep", job, seeds: chunk }, { priority });
      sizer.observe(reply.outcomes.length + (reply.trouble === null ? 0 : 1), reply.executionMs);
      growIfWorthIt(pool, options, sizer, seeds.length - handedOut);
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
  for (;;) {
    while (!tally.stopped && handedOut < seeds.length && seeds[handedOut]! < lostFrom && inFlight.size < pool.size * 2) {
      const size = sizer.next(seeds.length - handedOut, pool.size);
      const index = chunks.push(seeds.slice(handedOut, handedOut + size)) - 1;
      handedOut += size;
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
  const executed = await Promise.all(tally.firstBreakingSeeds.map((seed) => firstBreaks.get(seed)!));
  const result = finishSweep(request, tally, executed.map((again) => again.result));
  return { result, firstDivergence: executed[0], determinism: await checker.report(result.outcomes, checking) };
}

/**
 * Starts one more worker when the work left (this sweep's seeds not yet handed out and the later
 * sweeps', at the latest chunk's time per seed), shared among the workers there are, would outlast
 * a worker's start-up: a sweep too short to gain runs on the workers it has. Only once the pool
 * has executed for as long as a worker takes to start: before, the JIT is still warming up and
 * a seed looks several times dearer than it is.
 */
function growIfWorthIt(pool: WorkerPool, options: RunSweepOptions, sizer: ChunkSizer, seedsLeft: number): void {
  const startMs = pool.workerStartMs;
  const msPerSeed = sizer.latestMsPerSeed;
  if (pool.size >= pool.capacity || startMs === undefined || msPerSeed === undefined || pool.executedMs < startMs) return;
  const workLeftMs = msPerSeed * (seedsLeft + (options.seedsAfter ?? 0));
  if (workLeftMs / pool.size <= startMs * GROW_WHEN_WORK_LEFT_EXCEEDS_STARTS) return;
  pool.preload([{ module: options.module, source: options.source }]);
  pool.grow();
}

/**
 * The full execution of a seed that first broke an invariant, run again on a worker (another than
 * the one that ran it, where there is one: a free check across threads); a different hash is
 * non-determinism too.
 */
async function runFirstBreakAgain(
  request: SweepRequest, job: SweepJob, first: SeedOutcome, checker: Checker, pool: WorkerPool, worker: number | undefined, priority: number,
): Promise<Executed> {
  const seed = first.seed;
  const workloadSeed = request.varyWorkload ? seed : request.workloadSeed;
  const outcome = await executeOnPool(pool, { ...job, workloadSeed, varyWorkload: false }, seed, null, worker === undefined || pool.size === 1 ? { priority } : { avoid: worker, priority });
  if (outcome.kind === "lost") throw new NondeterminismError(`seed ${seed} broke an invariant in the sweep but its execution did not finish when run again (${outcome.lost.verdict})`);
  checker.track(checker.compare(first, { seed, physicalHash: outcome.result.physicalHash, trace: outcome.result.trace }, worker));
  return outcome;
}

/** Re-executes seeds on another thread and explains each hash that differs. */
class Checker {
  private readonly pending: Promise<void>[] = [];
  private readonly checked: number[] = [];
  private readonly mismatches: Nondeterminism[] = [];

  constructor(private readonly job: SweepJob, private readonly pool: WorkerPool, private readonly priority: number) {}

  /** Queues the re-execution of these outcomes' seeds on any worker but `firstWorker`. */
  check(outcomes: readonly SeedOutcome[], firstWorker: number): void {
    if (outcomes.length === 0) return;
    this.track(this.recheck(outcomes, firstWorker));
  }

  private async recheck(outcomes: readonly SeedOutcome[], firstWorker: number): Promise<void> {
    const task = { kind: "check" as const, job: this.job, seeds: outcomes.map((outcome) => outcome.seed), physicalHashes: outcomes.map((outcome) => outcome.physicalHash) };
    try {
      const { reply } = await this.pool.run(task, this.pool.size > 1 ? { avoid: firstWorker, priority: this.priority } : { priority: this.priority });
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
      const { reply } = await this.pool.run({ kind: "trace", job: this.job, seed: first.seed }, firstWorker === undefined ? { priority: this.priority } : { on: firstWorker, priority: this.priority });
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
