// Replay files: the ExecutionSpec of one execution (the scenario named by reference, the concrete
// fault profile, the resolved sizes and limits), its schedule when the seed alone does not make it
// (a shrunk execution, an explored schedule: a tape of decisions), and the hashes and verdict it
// is expected to give.
//
// Format 2 (dsim 0.2): one `schedule` field, a tape of keyed decisions (core/tape.ts), or null when
// the seed's own draws make the schedule. Format 1 files replay when they carry no schedule (the
// seed's draws did not change); format 1's positional `choices` and `decisions` are refused with a
// message saying so.

import { join } from "node:path";
import { UsageError } from "../core/errors.ts";
import { readJsonFile, writeFileAtomic } from "../core/files.ts";
import { loadedPath, loadedScenario, storedPath, storedScenario } from "../core/storedPaths.ts";
import type { Json } from "../core/json.ts";
import { integerAtLeast, ownObject, ownProperties, parseWith, z } from "../core/schema.ts";
import type { ExecutionLimits, Sizes } from "../core/scenario.ts";
import { Tape, tapeFromJson, tapeToJson } from "../core/tape.ts";
import { DSIM_VERSION } from "../core/version.ts";
import { parseFaultProfile, type FaultProfile } from "../world/faults.ts";
import type { ExecutionResult, Verdict } from "./execute.ts";
import { LIMITS_SCHEMA } from "./limits.ts";
import { LOST_VERDICTS, type LostExecution, type LostVerdict, type WatchdogLimits } from "./lost.ts";
import type { ExecutionSpec } from "./spec.ts";
import type { Violation } from "./verdict.ts";

export const REPLAY_FORMAT = "dsim-replay";
export const REPLAY_FORMAT_VERSION = 2;

export interface ShrunkFrom {
  readonly from: string;
  /** The invariant the shrink kept broken (absent in files of dsim 0.2.0). */
  readonly invariant?: string;
  readonly faultsBefore: number;
  readonly faultsAfter: number;
  readonly eventsBefore: number;
  readonly eventsAfter: number;
}

export interface ReplayFile extends ExecutionSpec<string> {
  readonly format: typeof REPLAY_FORMAT;
  readonly formatVersion: number;
  readonly dsimVersion: string;
  readonly faults: FaultProfile;
  readonly limits: ExecutionLimits;
  readonly sizes: Sizes;
  /** The decisions that make the schedule; null: the seed's own draws make it. */
  readonly schedule: Tape | null;
  readonly expected: {
    /** Null when the execution did not finish (hung or out of memory). */
    readonly physicalHash: string | null;
    readonly logicalHash: string | null;
    readonly verdict: Verdict | LostVerdict;
    readonly violations: readonly Violation[];
  };
  /** The watchdog's limits the execution ran under: recorded for one that did not finish, so it replays the same way. */
  readonly watchdog?: WatchdogLimits;
  /** Present on a shrunk execution: where it came from and how much it shrank. */
  readonly shrunk?: ShrunkFrom;
}

/** The replay file of an execution; `scenarioSource` is how the CLI named the scenario. */
export function replayOf(result: ExecutionResult, scenarioSource: string, schedule: Tape | null = null, shrunk?: ShrunkFrom): ReplayFile {
  return {
    format: REPLAY_FORMAT,
    formatVersion: REPLAY_FORMAT_VERSION,
    dsimVersion: DSIM_VERSION,
    scenario: scenarioSource,
    variant: result.variant,
    seed: result.seed,
    workloadSeed: result.workloadSeed,
    sizes: result.sizes,
    faults: result.faults,
    limits: result.limits,
    schedule,
    expected: { physicalHash: result.physicalHash, logicalHash: result.logicalHash, verdict: result.verdict, violations: result.violations },
    ...(shrunk === undefined ? {} : { shrunk }),
  };
}

/** What identifies an execution that did not finish, with everything resolved as a replay file holds it. */
export interface LostExecutionSpec extends LostExecution {
  readonly scenario: string;
  readonly variant: string;
  readonly seed: number;
  readonly workloadSeed: number;
  readonly sizes: Sizes;
  readonly faults: FaultProfile;
  readonly limits: ExecutionLimits;
  readonly watchdog: WatchdogLimits;
  /** The decisions it follows, when not the seed's own draws. */
  readonly schedule?: Tape | null;
}

/** The replay file of an execution that did not finish: no hashes, its loss as its one violation. */
export function lostReplayOf(lost: LostExecutionSpec): ReplayFile {
  return {
    format: REPLAY_FORMAT,
    formatVersion: REPLAY_FORMAT_VERSION,
    dsimVersion: DSIM_VERSION,
    scenario: lost.scenario,
    variant: lost.variant,
    seed: lost.seed,
    workloadSeed: lost.workloadSeed,
    sizes: lost.sizes,
    faults: lost.faults,
    limits: lost.limits,
    schedule: lost.schedule ?? null,
    expected: { physicalHash: null, logicalHash: null, verdict: lost.verdict, violations: [{ invariant: lost.verdict, message: lost.message }] },
    watchdog: lost.watchdog,
  };
}

export function replayPath(outputDirectory: string, result: Pick<ExecutionResult, "scenario" | "variant" | "seed">): string {
  return join(outputDirectory, safeName(result.scenario), safeName(result.variant), `seed-${result.seed}.replay.json`);
}

/** Where an explored schedule's replay file goes: named by the logical outcome it reaches. */
export function exploredReplayPath(outputDirectory: string, result: ExecutionResult): string {
  return join(outputDirectory, safeName(result.scenario), safeName(result.variant), `explore-${result.logicalHash}.replay.json`);
}

/** Where a bounded search's counterexample goes: named by the seed of the nodes' own streams. */
export function boundedReplayPath(outputDirectory: string, scenario: string, variant: string, seed: number): string {
  return join(outputDirectory, safeName(scenario), safeName(variant), `bounded-seed-${seed}.replay.json`);
}

/** `x/seed-7.replay.json` → `x/seed-7.shrunk.replay.json`; a shrunk file keeps its name. */
export function shrunkReplayPath(path: string): string {
  if (path.endsWith(".shrunk.replay.json")) return path;
  if (path.endsWith(".replay.json")) return `${path.slice(0, -".replay.json".length)}.shrunk.replay.json`;
  return `${path.replace(/\.json$/, "")}.shrunk.replay.json`;
}

/**
 * Writes a replay file: its fields indented, its schedule one decision per line (a long schedule
 * stays small). A scenario file's path, and the file a shrunk execution came from, are stored
 * relative to the replay file (core/storedPaths.ts), so it replays from any folder.
 */
export function writeReplayFile(path: string, replay: ReplayFile): void {
  const { schedule, ...rest } = replay;
  const stored = { ...rest, scenario: storedScenario(rest.scenario, path), ...(rest.shrunk === undefined ? {} : { shrunk: { ...rest.shrunk, from: storedPath(rest.shrunk.from, path) } }) };
  const head = JSON.stringify({ ...stored, schedule: null }, null, 2);
  const decisions = schedule === null ? [] : (tapeToJson(schedule) as Json[]);
  const scheduleText = decisions.length === 0 ? (schedule === null ? "null" : "[]") : `[\n${decisions.map((decision) => `    ${JSON.stringify(decision)}`).join(",\n")}\n  ]`;
  writeFileAtomic(path, `${head.slice(0, -"null\n}".length)}${scheduleText}\n}\n`);
}

/** The largest replay file dsim reads: a schedule of TAPE_DECISIONS_MAX decisions, one per line, fits. */
export const REPLAY_FILE_BYTES_MAX = 128 * 2 ** 20;

/** Reads a replay file, its paths as paths from here. */
export function readReplayFile(path: string): ReplayFile {
  const replay = parseReplayFile(readJsonFile(path, "replay file", REPLAY_FILE_BYTES_MAX), path);
  const scenario = loadedScenario(replay.scenario, path);
  return { ...replay, scenario, ...(replay.shrunk === undefined ? {} : { shrunk: { ...replay.shrunk, from: loadedPath(replay.shrunk.from, path) } }) };
}

const VERDICTS = ["holds", "diverges", ...LOST_VERDICTS] as const;

const REPLAY_FILE = ownObject(
  {
    format: z.literal(REPLAY_FORMAT),
    formatVersion: z.union([z.literal(1), z.literal(REPLAY_FORMAT_VERSION)], { error: (issue) => `is ${JSON.stringify(issue.input)}: this dsim reads versions 1 and ${REPLAY_FORMAT_VERSION}` }),
    dsimVersion: z.string({ error: "must be a string" }),
    scenario: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }),
    variant: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }),
    seed: integerAtLeast(0),
    workloadSeed: integerAtLeast(0),
    sizes: z.record(z.string(), integerAtLeast(0)).optional(),
    faults: z.unknown(),
    limits: LIMITS_SCHEMA,
    schedule: z.unknown().optional(),
    expected: ownObject(
      {
        physicalHash: z.string({ error: "must be a string" }).nullable(),
        logicalHash: z.string({ error: "must be a string" }).nullable(),
        verdict: z.enum(VERDICTS, { error: `must be one of ${VERDICTS.join(", ")}` }),
        violations: z.array(ownObject({ invariant: z.string({ error: "must be a string" }), message: z.string({ error: "must be a string" }), traceIndex: integerAtLeast(0).optional() }, "an object")),
      },
      "an object holding physicalHash, logicalHash, verdict and violations",
    ),
    watchdog: ownObject({ executionTimeoutMs: integerAtLeast(1), heapMaxMb: integerAtLeast(1) }, "an object").optional(),
    shrunk: ownObject(
      { from: z.string(), invariant: z.string().optional(), faultsBefore: integerAtLeast(0), faultsAfter: integerAtLeast(0), eventsBefore: integerAtLeast(0), eventsAfter: integerAtLeast(0) },
      "an object",
    ).optional(),
  },
  "a JSON object",
);

/** Validates a replay file's JSON: every field, the fault profile by its own schema, the schedule within its bounds. */
export function parseReplayFile(value: unknown, path: string): ReplayFile {
  const source = `replay file '${path}'`;
  const record = ownProperties(value);
  if (record === null || typeof record !== "object" || Array.isArray(record)) throw new UsageError(`${source}: not a JSON object`);
  const { format, formatVersion, choices, decisions } = record as Record<string, unknown>;
  if (format !== REPLAY_FORMAT) throw new UsageError(`${source}: not a dsim replay file (format is ${JSON.stringify(format)})`);
  if (formatVersion === 1 && (choices !== undefined || decisions !== undefined)) {
    throw new UsageError(`${source}: format 1 recorded its schedule by position, which this dsim cannot replay; run the seed again (dsim run ... --seed N) for a new replay file`);
  }
  const parsed = parseWith(REPLAY_FILE, record, source);
  const lost = (LOST_VERDICTS as readonly string[]).includes(parsed.expected.verdict);
  if (lost !== (parsed.expected.physicalHash === null) || lost !== (parsed.expected.logicalHash === null)) {
    throw new UsageError(`${source}: 'expected' holds hashes exactly when the execution finished (not hung or out of memory)`);
  }
  const faults = parseFaultProfile(parsed.faults, `${source} faults`);
  const schedule = parsed.schedule === undefined || parsed.schedule === null ? null : tapeFromJson(parsed.schedule, source);
  const { watchdog, shrunk, ...rest } = parsed;
  return {
    ...rest,
    formatVersion: REPLAY_FORMAT_VERSION,
    sizes: parsed.sizes ?? {},
    faults,
    schedule,
    ...(watchdog === undefined ? {} : { watchdog }),
    ...(shrunk === undefined ? {} : { shrunk }),
  };
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "_");
}
