// One planned variant's sweep, as `dsim sweep` runs it: the seeds on worker threads, then the first
// divergence written as a replay file and, unless asked not to, shrunk (on a worker too, under the
// watchdog); a seed whose execution did not finish (hung, out of memory) is written as a replay
// file of its own, which replays the same way. What it returns is everything the reporters need;
// it renders nothing.

import type { ExecutionResult, Reference } from "../execution/execute.ts";
import { lostReplayOf, replayOf, replayPath, writeReplayFile } from "../execution/replayFile.ts";
import { resolveSizes } from "../execution/sizes.ts";
import { resolveLimits, type VariantSpec } from "../execution/spec.ts";
import { resolveFaults } from "../world/faults.ts";
import { runSweep, type DeterminismMode, type SweepRun } from "./parallel.ts";
import type { PlannedVariant } from "./plan.ts";
import type { SweepRange } from "./sweep.ts";
import type { LostSeed } from "./tally.ts";
import { shrinkOnPool, type ShrinkOutcome } from "./workers/onPool.ts";
import type { WorkerPool } from "./workers/pool.ts";

/** What every variant of one `dsim sweep` shares. */
export interface SweepSettings extends Omit<VariantSpec<unknown>, "scenario" | "variant">, Pick<SweepRange, "seedFrom" | "varyWorkload" | "shard"> {
  /** Folder for replay files. */
  readonly out: string;
  readonly shrink: boolean;
  readonly determinism: DeterminismMode;
}

export interface FirstDivergence {
  readonly result: ExecutionResult;
  /** The reference it diverged from. */
  readonly reference: Reference;
  readonly replayFile: string;
  readonly shrunk: ShrinkOutcome | null;
}

/** The seed that did not finish, with its replay file. */
export interface LostSeedFile extends LostSeed {
  readonly replayFile: string;
}

export interface VariantSweep {
  readonly planned: PlannedVariant;
  readonly run: SweepRun;
  readonly firstDivergence: FirstDivergence | null;
  readonly lost: LostSeedFile | null;
}

export async function sweepVariant(planned: PlannedVariant, settings: SweepSettings, pool: WorkerPool, onSeed?: (done: number, divergences: number) => void): Promise<VariantSweep> {
  const { workloadSeed, sizes, faults, limits, seedFrom, varyWorkload, shard } = settings;
  const run = await runSweep(
    {
      scenario: planned.scenario, variant: planned.variant, workloadSeed, sizes, faults, limits,
      seedFrom, seedCount: planned.budget, varyWorkload, stopAtFirstDivergence: planned.stopsAtFirstDivergence,
      ...(shard === undefined ? {} : { shard }), ...(onSeed === undefined ? {} : { onSeed }),
    },
    { module: planned.module, source: planned.source, pool, determinism: settings.determinism },
  );
  const lost = run.result.lost === null ? null : writeLostSeed(planned, settings, run.result.lost, pool);
  const first = run.result.firstDivergence;
  if (first === undefined || run.firstReference === undefined) return { planned, run, firstDivergence: null, lost };
  const replayFile = replayPath(settings.out, first);
  const replay = replayOf(first, planned.source);
  writeReplayFile(replayFile, replay);
  const shrunk = settings.shrink ? await shrinkOnPool(pool, planned.module, replay, replayFile) : null;
  return { planned, run, firstDivergence: { result: first, reference: run.firstReference, replayFile, shrunk }, lost };
}

/** Writes the replay file of a seed that did not finish: what it ran, under which limits. */
function writeLostSeed(planned: PlannedVariant, settings: SweepSettings, lost: LostSeed, pool: WorkerPool): LostSeedFile {
  const { scenario, variant, source } = planned;
  const replayFile = replayPath(settings.out, { scenario: scenario.name, variant, seed: lost.seed });
  writeReplayFile(
    replayFile,
    lostReplayOf({
      ...lost,
      scenario: source,
      variant,
      workloadSeed: settings.varyWorkload ? lost.seed : settings.workloadSeed,
      sizes: resolveSizes(scenario, settings.sizes),
      faults: resolveFaults(settings.faults, lost.seed),
      limits: resolveLimits(scenario, settings.limits),
      watchdog: pool.limits,
    }),
  );
  return { ...lost, replayFile };
}
