// What the main thread asks of a worker, and what the worker answers. Everything crosses the
// thread by structured clone, so it is plain data: a scenario is named by its module, a schedule
// travels as the JSON text of its list of decisions (one string clones far cheaper than a
// million small objects), a typed error by its kind.

import type { TraceEvent } from "../../core/events.ts";
import type { Decision } from "../../core/tape.ts";
import type { ExecutionResult, Reference } from "../../execution/execute.ts";
import type { ReplayFile } from "../../execution/replayFile.ts";
import type { VariantSpec } from "../../execution/spec.ts";
import type { BoundedRequest } from "../bounded.ts";
import type { BoundedReport } from "../boundedReport.ts";
import type { DefinitionFingerprint } from "../definitionFingerprint.ts";
import type { ExplorationReport } from "../explorationReport.ts";
import type { ExhaustiveRequest } from "../exhaustive.ts";
import type { FaultLine } from "../faultList.ts";
import type { ScenarioModule } from "../loader.ts";
import type { ShrinkOptions, ShrinkReport } from "../shrink/report.ts";
import type { ScenarioTrouble, SeedOutcome } from "../tally.ts";

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

/** A search of one variant's schedules, as a worker runs it: the request but for the scenario, loaded there. */
export interface SearchJob<Request> {
  readonly scenario: ScenarioModule;
  readonly source: string;
  readonly request: Omit<Request, "scenario">;
  /** Where the replay files of what it finds go. */
  readonly out: string;
}

export type ExploreJob = SearchJob<ExhaustiveRequest>;
/** `--max-faults`: the request's callbacks stay behind (the CLI sets none). */
export type BoundedJob = SearchJob<Omit<BoundedRequest, "accept" | "reference">>;

export type WorkerTask =
  /** Executes seeds (in order) and answers their outcomes. */
  | { readonly kind: "sweep"; readonly job: SweepJob; readonly seeds: readonly number[] }
  /** Executes seeds again and answers their physical hashes, with the trace of any that differs. */
  | { readonly kind: "check"; readonly job: SweepJob; readonly seeds: readonly number[]; readonly physicalHashes: readonly string[] }
  | { readonly kind: "trace"; readonly job: SweepJob; readonly seed: number }
  /** A fresh load of a scenario's module, fingerprinted (explore/stableDefinition.ts). */
  | { readonly kind: "fingerprint"; readonly scenario: ScenarioModule; readonly source: string }
  /** One whole execution and its reference: from the seed's draws, or following a schedule (a replay file's). */
  | { readonly kind: "execute"; readonly job: SweepJob; readonly seed: number; readonly schedule: ScheduleText | null }
  /** Shrinks a replay file's execution and writes the shrunk one beside it. */
  | { readonly kind: "shrink"; readonly scenario: ScenarioModule; readonly replay: ReplayFileData; readonly path: string; readonly options: ShrinkOptions }
  | { readonly kind: "explore"; readonly job: ExploreJob }
  | { readonly kind: "bounded"; readonly job: BoundedJob };

/** A schedule as it crosses a thread: the JSON text of its list of decisions. */
export type ScheduleText = string;

/** A replay file as it crosses a thread: its schedule as JSON text. */
export type ReplayFileData = Omit<ReplayFile, "schedule"> & { readonly schedule: ScheduleText | null };

export type WorkerReply =
  /** The seeds' outcomes, up to the first seed the scenario broke (then `trouble`); `executionMs`: the wall-clock time they took. */
  | { readonly kind: "sweep"; readonly outcomes: readonly SeedOutcome[]; readonly trouble: ScenarioTrouble | null; readonly executionMs: number }
  | { readonly kind: "check"; readonly checks: readonly SeedCheck[] }
  | { readonly kind: "trace"; readonly physicalHash: string; readonly trace: readonly TraceEvent[] }
  | { readonly kind: "fingerprint"; readonly fingerprint: DefinitionFingerprint }
  /** `unused`: decisions of the schedule no question asked for; `tape`: the decisions it followed, as JSON text. */
  | { readonly kind: "execute"; readonly result: ExecutionResult; readonly reference: Reference; readonly unused: readonly Decision[]; readonly tape: ScheduleText }
  | { readonly kind: "shrink"; readonly report: ShrinkReport; readonly shrunk: ExecutionResult; readonly reference: Reference; readonly faults: readonly FaultLine[] }
  | { readonly kind: "explore"; readonly report: ExplorationReport }
  | { readonly kind: "bounded"; readonly report: BoundedReport }
  /** A typed error (core/errors.ts) crosses the thread by its kind. */
  | { readonly kind: "error"; readonly errorKind: string; readonly message: string };

/** The reply of a task of this kind. */
export type ReplyOf<Kind extends WorkerTask["kind"]> = Extract<WorkerReply, { readonly kind: Kind }>;
