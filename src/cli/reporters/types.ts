// One reporter interface for every output of the CLI: the console, JSON, the report files
// (summary.json, seeds.jsonl), the HTML pages and JUnit XML. A command builds its results with the
// library, then hands them to its reporters' hooks; a reporter implements the hooks it cares about.
// A new output format is one file here and one line in REPORTERS (index.ts).

import type { ExecutionResult } from "../../execution/execute.ts";
import type { ReplayFile } from "../../execution/replayFile.ts";
import type { BoundedReport } from "../../explore/boundedReport.ts";
import type { ExplorationReport } from "../../explore/explorationReport.ts";
import type { LostExecution } from "../../execution/lost.ts";
import type { ShrunkOnWorker } from "../../explore/workers/onPool.ts";
import type { FailurePageInput } from "../../report/html/failurePage.ts";
import type { SeedLine, SweepDocument, SweepEntry } from "../../report/summary.ts";
import type { Io } from "../io.ts";
import type { Progress } from "../progress.ts";

/** One execution, from `dsim run` or `dsim replay`. */
export interface ExecutionReport {
  readonly result: ExecutionResult;
  /** How the fault profile was named (a profile name or a file). */
  readonly faults: string;
  /** The command that reproduces it. */
  readonly replay: string;
  /** The replay file written (run) or read (replay), if any. */
  readonly replayFile: string | null;
  readonly trace: boolean;
  /** `dsim replay`: whether the file's expectations were met. */
  readonly check?: { readonly replayFile: ReplayFile; readonly changes: readonly string[] };
  /** A failure page to write, and where. */
  readonly page?: { readonly path: string; readonly input: FailurePageInput };
}

/** `dsim shrink`. */
export interface ShrinkCommandReport extends ShrunkOnWorker {
  readonly trace: boolean;
}

/** An execution that did not finish (hung, out of memory), from `dsim run`, `replay`, `shrink` or `explore`. */
export interface LostReport {
  /** What was being done: `delivery/sum seed 7`, `shrink of FILE`, `exploration of delivery/sum`. */
  readonly what: string;
  readonly scenario: string;
  readonly variant: string;
  readonly seed: number | null;
  readonly faults: string | null;
  readonly lost: LostExecution;
  /** The command that reproduces it, and its replay file, if one was written or read. */
  readonly replay: string | null;
  readonly replayFile: string | null;
  /** `dsim replay`: what the file recorded, and what differs (empty: the same loss again). */
  readonly check?: { readonly expected: string; readonly changes: readonly string[] };
}

/** A sweep's variant is done (or, in a merge, recounted). */
export interface VariantDone {
  readonly entry: SweepEntry;
  /** Its failure page to write (the first divergence, shrunk where shrinking ran), if any. */
  readonly page: { readonly replayFile: string; readonly input: FailurePageInput } | null;
}

/** A sweep (or a merge of shards) is done. */
export interface SweepEnd {
  /** The summary: a document, or one entry when one variant was swept. */
  readonly document: SweepDocument | SweepEntry;
  readonly entries: readonly SweepEntry[];
  /** The seed lines of a shard (for seeds.jsonl); none otherwise. */
  readonly lines: readonly SeedLine[] | null;
  readonly expectMode: boolean;
  /** The output folder. */
  readonly out: string;
  /** Set for a merge: how many shards were merged. */
  readonly mergedShards?: number;
}

export interface Reporter {
  execution?(report: ExecutionReport): void;
  shrink?(report: ShrinkCommandReport): void;
  lost?(report: LostReport): void;
  /** `dsim explore`: one variant's search is done. */
  exploration?(report: ExplorationReport): void;
  /** `dsim explore --max-faults`: one variant's bounded search is done. */
  boundedSearch?(report: BoundedReport): void;
  /** `dsim explore`: the document of the whole exploration. */
  explorationEnd?(document: unknown): void;
  variant?(done: VariantDone): void;
  sweepEnd?(end: SweepEnd): void;
}

export interface ReporterOptions {
  readonly io: Io;
  /** A sweep's progress bar: the console prints above it. */
  readonly progress?: Progress;
  /** Where --junit writes. */
  readonly junitFile?: string;
}

