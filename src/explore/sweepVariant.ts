// One planned variant's sweep, as `dsim sweep` runs it: the seeds (on workers or in this thread),
// then a replay file for each seed that first broke an invariant (once per seed, however many it
// broke), and the first divergence, unless asked not to, shrunk. What it returns is everything the
// reporters need; it renders nothing.

import { computeReference, type ExecutionResult, type Reference } from "../execution/execute.ts";
import { executeReplay } from "../execution/replay.ts";
import { replayOf, replayPath, writeReplayFile } from "../execution/replayFile.ts";
import type { VariantSpec } from "../execution/spec.ts";
import { runSweep, type DeterminismMode, type SweepRun } from "./parallel.ts";
import { faultLines, type FaultLine } from "./faultList.ts";
import type { PlannedVariant } from "./plan.ts";
import { shrinkReplayFile, type ShrunkReplay } from "./shrink/report.ts";
import type { SweepRange } from "./sweep.ts";
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
  readonly shrunk: ShrunkReplay | null;
  /** Unshrunk: the faults the first divergence itself had, for its page (null when it was shrunk). */
  readonly faults: readonly FaultLine[] | null;
}

export interface VariantSweep {
  readonly planned: PlannedVariant;
  readonly run: SweepRun;
  readonly firstDivergence: FirstDivergence | null;
  /** The replay file of each seed that first broke an invariant, by seed. */
  readonly replayFiles: ReadonlyMap<number, string>;
}

export async function sweepVariant(
  planned: PlannedVariant, settings: SweepSettings, pool: WorkerPool | undefined, onSeed?: (done: number, divergences: number) => void,
): Promise<VariantSweep> {
  const { workloadSeed, sizes, faults, limits, seedFrom, varyWorkload, shard } = settings;
  const run = await runSweep(
    {
      scenario: planned.scenario, variant: planned.variant, workloadSeed, sizes, faults, limits,
      seedFrom, seedCount: planned.budget, varyWorkload, stopAtFirstDivergence: planned.stopsAtFirstDivergence,
      ...(shard === undefined ? {} : { shard }), ...(onSeed === undefined ? {} : { onSeed }),
    },
    { module: planned.module, source: planned.source, pool, parallel: pool !== undefined && pool.size > 1, determinism: settings.determinism },
  );
  const replayFiles = new Map<number, string>();
  for (const result of run.result.firstBreaks) {
    const replayFile = replayPath(settings.out, result);
    writeReplayFile(replayFile, replayOf(result, planned.source));
    replayFiles.set(result.seed, replayFile);
  }
  const first = run.result.firstDivergence;
  if (first === undefined) return { planned, run, firstDivergence: null, replayFiles };
  const replayFile = replayFiles.get(first.seed)!;
  const replay = replayOf(first, planned.source);
  // Toward the invariant asked for: the first seed that broke it (the tally keeps one per invariant).
  const invariant = settings.shrinkInvariant;
  const breaking = invariant === undefined ? undefined : run.result.firstBreaks.find((result) => result.violations.some((violation) => violation.invariant === invariant));
  const shrunk = !settings.shrink ? null : breaking === undefined
    ? shrinkReplayFile(planned.scenario, replay, replayFile)
    : shrinkReplayFile(planned.scenario, replayOf(breaking, planned.source), replayFiles.get(breaking.seed)!, { invariant: invariant! });
  const reference = computeReference({ scenario: planned.scenario, variant: planned.variant, workloadSeed: first.workloadSeed, sizes, faults, limits });
  // Unshrunk, its page lists the faults the seed drew: one more execution records them.
  const faultList = shrunk === null ? faultLines(executeReplay(planned.scenario, replay).tape, first) : null;
  return { planned, run, firstDivergence: { result: first, reference, replayFile, shrunk, faults: faultList }, replayFiles };
}
