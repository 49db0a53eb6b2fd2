// One planned variant's sweep, as `dsim sweep` runs it: the seeds on worker threads, then a replay
// file for each seed that first broke an invariant (once per seed, however many it broke), and the
// first divergence, unless asked not to, shrunk (on a worker too, under the watchdog; started as
// soon as the tally has counted that seed, so it runs beside the rest of the sweep). A seed whose
// execution did not finish (hung, out of memory) gets a replay file of its own, which replays the
// same way. What it returns is everything the reporters need; it renders nothing.

import type { ExecutionResult, Reference } from "../execution/execute.ts";
import { lostReplayOf, replayOf, replayPath, writeReplayFile } from "../execution/replayFile.ts";
import { sizesOfExecution } from "../execution/sizes.ts";
import { resolveLimits, type VariantSpec } from "../execution/spec.ts";
import { resolveFaults } from "../world/faults.ts";
import { runSweep, type DeterminismMode, type SweepRun } from "./parallel.ts";
import { faultLines, type FaultLine } from "./faultList.ts";
import type { PlannedVariant } from "./plan.ts";
import type { SweepRange } from "./sweep.ts";
import type { LostSeed, SeedOutcome } from "./tally.ts";
import { shrinkOnPool, type Executed, type ShrinkOutcome } from "./workers/onPool.ts";
import type { ShrinkOptions } from "./shrink/report.ts";
import type { WorkerPool } from "./workers/pool.ts";

/** What every variant of one `dsim sweep` shares. */
export interface SweepSettings extends Omit<VariantSpec<unknown>, "scenario" | "variant">, Pick<SweepRange, "seedFrom" | "varyWorkload" | "shard"> {
  /** Folder for replay files. */
  readonly out: string;
  readonly shrink: boolean;
  /**
   * Shrink the first seed that broke this invariant, toward it, instead of the first divergence
   * toward the first invariant it broke (which is still what happens when no seed broke it).
   */
  readonly shrinkInvariant?: string;
  readonly determinism: DeterminismMode;
}

export interface FirstDivergence {
  readonly result: ExecutionResult;
  /** The reference it diverged from. */
  readonly reference: Reference;
  readonly replayFile: string;
  /** The shrunk execution, or how the shrink was lost (one of its executions hung), or null: not shrunk. */
  readonly shrunk: ShrinkOutcome | null;
  /** Not shrunk: the faults the first divergence itself had, for its page (null when it was shrunk). */
  readonly faults: readonly FaultLine[] | null;
}

/** The seed that did not finish, with its replay file. */
export interface LostSeedFile extends LostSeed {
  readonly replayFile: string;
}

export interface VariantSweep {
  readonly planned: PlannedVariant;
  readonly run: SweepRun;
  readonly firstDivergence: FirstDivergence | null;
  /** The replay file of each seed that first broke an invariant, by seed. */
  readonly replayFiles: ReadonlyMap<number, string>;
  readonly lost: LostSeedFile | null;
}

/** Where a variant's sweep stands among a plan's others sharing the pool (explore/parallel.ts). */
export interface VariantPlace {
  /** Its index in the plan: the pool runs an earlier variant's tasks (its shrink too) first. */
  readonly priority: number;
  /** Seeds of the variants after it. */
  readonly seedsAfter: number;
}

export async function sweepVariant(planned: PlannedVariant, settings: SweepSettings, pool: WorkerPool, onSeed?: (done: number, divergences: number) => void, place: VariantPlace = { priority: 0, seedsAfter: 0 }): Promise<VariantSweep> {
  const { workloadSeed, sizes, faults, limits, seedFrom, varyWorkload, shard } = settings;
  const replayFiles = new Map<number, string>();
  /** The replay file of a seed that first broke an invariant, written once. */
  const replayFileOf = (result: ExecutionResult): string => {
    let replayFile = replayFiles.get(result.seed);
    if (replayFile === undefined) {
      replayFile = replayPath(settings.out, result);
      writeReplayFile(replayFile, replayOf(result, planned.source));
      replayFiles.set(result.seed, replayFile);
    }
    return replayFile;
  };
  const shrinkNow = (result: ExecutionResult, options: ShrinkOptions): Promise<ShrinkOutcome> =>
    shrinkOnPool(pool, planned.module, replayOf(result, planned.source), replayFileOf(result), options, place.priority);
  // The seed to shrink is known as soon as the tally counts it (the first divergence, or the first
  // seed that broke the invariant asked for): its shrink starts then, beside the rest of the sweep,
  // rather than after it (a shrink is sequential: at the end it was the sweep's critical path).
  const invariant = settings.shrinkInvariant;
  let early: Promise<ShrinkOutcome> | undefined;
  const onFirstBreak = (outcome: SeedOutcome, executed: Promise<Executed>): void => {
    if (early !== undefined || (invariant !== undefined && !outcome.broken.includes(invariant))) return;
    early = executed.then((again) => shrinkNow(again.result, invariant === undefined ? {} : { invariant }));
    // Awaited after the sweep; if the sweep fails first, the failure is the sweep's.
    early.catch(() => undefined);
  };
  const run = await runSweep(
    {
      scenario: planned.scenario, variant: planned.variant, workloadSeed, sizes, faults, limits,
      seedFrom, seedCount: planned.budget, varyWorkload, stopAtFirstDivergence: planned.stopsAtFirstDivergence,
      ...(shard === undefined ? {} : { shard }), ...(onSeed === undefined ? {} : { onSeed }),
    },
    { module: planned.module, source: planned.source, pool, determinism: settings.determinism, ...place, ...(settings.shrink ? { onFirstBreak } : {}) },
  );
  const lost = run.result.lost === null ? null : writeLostSeed(planned, settings, run.result.lost, pool);
  for (const result of run.result.firstBreaks) replayFileOf(result);
  const first = run.result.firstDivergence;
  const executed = run.firstDivergence;
  if (first === undefined || executed === undefined) return { planned, run, firstDivergence: null, replayFiles, lost };
  const replayFile = replayFiles.get(first.seed)!;
  // No seed broke the invariant asked for: the first divergence, toward the first invariant it broke.
  const shrunk = !settings.shrink ? null : await (early ?? shrinkNow(first, {}));
  // Not shrunk, its page lists the faults the seed drew: its run again recorded them.
  const faultList = shrunk?.kind === "shrunk" ? null : faultLines(executed.tape, first);
  return { planned, run, firstDivergence: { result: first, reference: executed.reference, replayFile, shrunk, faults: faultList }, replayFiles, lost };
}

/** Writes the replay file of a seed that did not finish: what it ran, under which limits. */
function writeLostSeed(planned: PlannedVariant, settings: SweepSettings, lost: LostSeed, pool: WorkerPool): LostSeedFile {
  const { scenario, variant, source } = planned;
  const replayFile = replayPath(settings.out, { scenario: scenario.name, variant, seed: lost.seed });
  const resolved = { sizes: sizesOfExecution(scenario, settings.sizes, settings.faults, lost.seed), faults: resolveFaults(settings.faults, lost.seed), limits: resolveLimits(scenario, settings.limits) };
  writeReplayFile(replayFile, lostReplayOf({ ...lost, scenario: source, variant, ...resolved, watchdog: pool.limits }));
  return { ...lost, replayFile };
}
