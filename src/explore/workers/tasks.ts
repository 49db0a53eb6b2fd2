// What the main thread asks of a worker, and what the worker answers. Everything crosses the
// thread by structured clone, so it is plain data: a scenario is named by its module, a schedule
// travels as the JSON text of its list of decisions (one string clones far cheaper than a
// million small objects), a typed error by its kind.

import type { TraceEvent } from "../../core/events.ts";
import type { Decision } from "../../core/tape.ts";
import type { ExecutionResult, Reference } from "../../execution/execute.ts";
import type { ReplayFile } from "../../execution/replayFile.ts";
import type { VariantSpec } from "../../execution/spec.ts";
import type { ExplorationReport } from "../explorationReport.ts";
import type { ExhaustiveRequest } from "../exhaustive.ts";
import type { ScenarioModule } from "../loader.ts";
import type { ShrinkReport } from "../shrink.ts";
import type { SeedOutcome } from "../tally.ts";

/** A variant spec as a worker can load it: the scenario named by module. */
export interface SweepJob extends VariantSpec<ScenarioModule> {
  /** How the user named the scenario, for messages and replay files. */
  readonly source: string;
  readonly varyWorkload: boolean;
}

export interface SeedCheck {
  readonly seed: number;
  readonly physicalHash: string;
  /** Only when the hash differs from the one asked about. */
  readonly trace?: readonly TraceEvent[];
}

/** The exhaustive search of one variant, as a worker runs it: the request but for the scenario, loaded there. */
export interface ExploreJob {
  readonly scenario: ScenarioModule;
  readonly source: string;
  readonly request: Omit<ExhaustiveRequest, "scenario">;
  /** Where the divergent outcomes' replay files go. */
  readonly out: string;
}

export type WorkerTask =
  /** Executes seeds (in order) and answers their outcomes. */
  | { readonly kind: "sweep"; readonly job: SweepJob; readonly seeds: readonly number[] }
  /** Executes seeds again and answers their physical hashes, with the trace of any that differs. */
  | { readonly kind: "check"; readonly job: SweepJob; readonly seeds: readonly number[]; readonly physicalHashes: readonly string[] }
  | { readonly kind: "trace"; readonly job: SweepJob; readonly seed: number }
  /** One whole execution and its reference: from the seed's draws, or following a schedule (a replay file's). */
  | { readonly kind: "execute"; readonly job: SweepJob; readonly seed: number; readonly schedule: ScheduleText | null }
  /** Shrinks a replay file's execution and writes the shrunk one beside it. */
  | { readonly kind: "shrink"; readonly scenario: ScenarioModule; readonly replay: ReplayFileData; readonly path: string; readonly executionsMax: number | undefined }
  | { readonly kind: "explore"; readonly job: ExploreJob };

/** A schedule as it crosses a thread: the JSON text of its list of decisions. */
export type ScheduleText = string;

/** A replay file as it crosses a thread: its schedule as JSON text. */
export type ReplayFileData = Omit<ReplayFile, "schedule"> & { readonly schedule: ScheduleText | null };

export type WorkerReply =
  | { readonly kind: "sweep"; readonly outcomes: readonly SeedOutcome[] }
  | { readonly kind: "check"; readonly checks: readonly SeedCheck[] }
  | { readonly kind: "trace"; readonly physicalHash: string; readonly trace: readonly TraceEvent[] }
  /** `unused`: decisions of the schedule no question asked for. */
  | { readonly kind: "execute"; readonly result: ExecutionResult; readonly reference: Reference; readonly unused: readonly Decision[] }
  | { readonly kind: "shrink"; readonly report: ShrinkReport; readonly shrunk: ExecutionResult; readonly reference: Reference }
  | { readonly kind: "explore"; readonly report: ExplorationReport }
  /** A typed error (core/errors.ts) crosses the thread by its kind. */
  | { readonly kind: "error"; readonly errorKind: string; readonly message: string };

/** The reply of a task of this kind. */
export type ReplyOf<Kind extends WorkerTask["kind"]> = Extract<WorkerReply, { readonly kind: Kind }>;
