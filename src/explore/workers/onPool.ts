// The library's single-shot work (one execution, a shrink, an exhaustive search) run on a worker,
// under the watchdog: what `dsim run`, `replay`, `shrink`, `explore` and `report merge` call. Each
// answers what the library call gives, or how its execution was lost (hung, out of memory), which
// the commands report as a result of its own.

import { tapeFromJson, tapeToJson, type Decision, type Tape } from "../../core/tape.ts";
import type { Sizes } from "../../core/scenario.ts";
import type { ExecutionResult, Reference } from "../../execution/execute.ts";
import type { LostExecution } from "../../execution/lost.ts";
import type { ReplayFile } from "../../execution/replayFile.ts";
import type { BoundedReport } from "../boundedReport.ts";
import type { ExplorationReport } from "../explorationReport.ts";
import type { FaultLine } from "../faultList.ts";
import type { ScenarioModule } from "../loader.ts";
import type { ShrinkOptions, ShrinkReport } from "../shrink/report.ts";
import { ExecutionLost, type Placement, type WorkerPool } from "./pool.ts";
import type { BoundedJob, ExploreJob, SweepJob } from "./tasks.ts";

export type Lost = { readonly kind: "lost"; readonly lost: LostExecution };

/** An execution run again, as execution/replay.ts's Replayed: with the decisions it followed. */
export interface Executed {
  readonly result: ExecutionResult;
  readonly reference: Reference;
  readonly unused: readonly Decision[];
  readonly tape: Tape;
}

export type ExecutionOutcome = ({ readonly kind: "finished" } & Executed) | Lost;

/** A shrink done on a worker: its report, the shrunk execution, the reference, the faults left. */
export interface ShrunkOnWorker {
  readonly report: ShrinkReport;
  readonly shrunk: ExecutionResult;
  readonly reference: Reference;
  readonly faults: readonly FaultLine[];
}

export type ShrinkOutcome = ({ readonly kind: "shrunk" } & ShrunkOnWorker) | Lost;

export type ExploreOutcome = { readonly kind: "explored"; readonly report: ExplorationReport } | Lost;

export type BoundedOutcome = { readonly kind: "searched"; readonly report: BoundedReport } | Lost;

function scheduleText(schedule: Tape | null): string | null {
  return schedule === null ? null : JSON.stringify(tapeToJson(schedule));
}

/** Runs `work`; a lost execution becomes its outcome, any other failure propagates. */
async function orLost<Outcome>(work: () => Promise<Outcome>): Promise<Outcome | Lost> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ExecutionLost) return { kind: "lost", lost: error.lost };
    throw error;
  }
}

/** One execution and its reference, from the seed's draws or following `schedule`. */
export function executeOnPool(pool: WorkerPool, job: SweepJob, seed: number, schedule: Tape | null, placement: Placement = {}): Promise<ExecutionOutcome> {
  return orLost(async () => {
    const { reply } = await pool.run({ kind: "execute", job, seed, schedule: scheduleText(schedule) }, placement);
    return { kind: "finished" as const, result: reply.result, reference: reply.reference, unused: reply.unused, tape: tapeFromJson(JSON.parse(reply.tape), job.source) };
  });
}

/** The job of a replay file's execution; `sizes` overrides the file's. */
export function replayJob(replay: ReplayFile, module: ScenarioModule, sizes?: Sizes): SweepJob {
  const { scenario: source, variant, workloadSeed, faults, limits } = replay;
  return { scenario: module, source, variant, workloadSeed, faults, limits, sizes: sizes === undefined ? replay.sizes : { ...replay.sizes, ...sizes }, varyWorkload: false };
}

/** Shrinks a replay file's execution (the worker writes the shrunk file beside the original). */
export function shrinkOnPool(pool: WorkerPool, module: ScenarioModule, replay: ReplayFile, path: string, options: ShrinkOptions = {}, priority = 0): Promise<ShrinkOutcome> {
  return orLost(async () => {
    const data = { ...replay, schedule: scheduleText(replay.schedule) };
    const { reply } = await pool.run({ kind: "shrink", scenario: module, replay: data, path, options }, { priority });
    return { kind: "shrunk" as const, report: reply.report, shrunk: reply.shrunk, reference: reply.reference, faults: reply.faults };
  });
}

/** One variant's exhaustive search (the worker writes the divergent outcomes' replay files). */
export function exploreOnPool(pool: WorkerPool, job: ExploreJob): Promise<ExploreOutcome> {
  return orLost(async () => ({ kind: "explored" as const, report: (await pool.run({ kind: "explore", job })).reply.report }));
}

/** One variant's bounded search (the worker writes its counterexample's replay file). */
export function boundedOnPool(pool: WorkerPool, job: BoundedJob): Promise<BoundedOutcome> {
  return orLost(async () => ({ kind: "searched" as const, report: (await pool.run({ kind: "bounded", job })).reply.report }));
}
