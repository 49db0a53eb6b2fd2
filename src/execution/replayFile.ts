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
import { isJsonRecord } from "../core/json.ts";
import type { ExecutionLimits, Sizes } from "../core/scenario.ts";
import { Tape, tapeFromJson, tapeToJson } from "../core/tape.ts";
import { DSIM_VERSION } from "../core/version.ts";
import { parseFaultProfile, type FaultProfile } from "../world/faults.ts";
import type { ExecutionResult, Verdict } from "./execute.ts";
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
    readonly physicalHash: string;
    readonly logicalHash: string;
    readonly verdict: Verdict;
    readonly violations: readonly Violation[];
  };
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

export function writeReplayFile(path: string, replay: ReplayFile): void {
  const { schedule, ...rest } = replay;
  writeFileAtomic(path, `${JSON.stringify({ ...rest, schedule: schedule === null ? null : tapeToJson(schedule) }, null, 2)}\n`);
}

export function readReplayFile(path: string): ReplayFile {
  return parseReplay(readJsonFile(path, "replay file"), path);
}

function parseReplay(value: unknown, path: string): ReplayFile {
  const bad = (what: string): never => {
    throw new UsageError(`replay file '${path}': ${what}`);
  };
  if (!isJsonRecord(value)) return bad("not a JSON object");
  const record = value as Record<string, unknown>;
  if (record.format !== REPLAY_FORMAT) return bad(`not a dsim replay file (format is ${JSON.stringify(record.format)})`);
  const version = record.formatVersion;
  if (version === 1 && (record.choices !== undefined || record.decisions !== undefined)) {
    return bad("format 1 recorded its schedule by position, which this dsim cannot replay; run the seed again (dsim run ... --seed N) for a new replay file");
  }
  if (version !== 1 && version !== REPLAY_FORMAT_VERSION) {
    return bad(`unknown format version ${JSON.stringify(version)} (this dsim reads versions 1 and ${REPLAY_FORMAT_VERSION})`);
  }
  for (const key of ["dsimVersion", "scenario", "variant"]) if (typeof record[key] !== "string") bad(`'${key}' must be a string`);
  for (const key of ["seed", "workloadSeed"]) if (!Number.isSafeInteger(record[key]) || (record[key] as number) < 0) bad(`'${key}' must be a non-negative integer`);
  const limits = parseLimits(record.limits, bad);
  const expected = record.expected;
  if (!isJsonRecord(expected) || typeof expected.physicalHash !== "string" || typeof expected.logicalHash !== "string") {
    bad("'expected' must hold physicalHash and logicalHash");
  }
  const faults = parseFaultProfile(record.faults, `replay file '${path}' faults`);
  const sizes = record.sizes === undefined ? {} : parseSizes(record.sizes, bad);
  const schedule = record.schedule === undefined || record.schedule === null ? null : tapeFromJson(record.schedule, `replay file '${path}'`);
  return { ...(record as unknown as ReplayFile), formatVersion: REPLAY_FORMAT_VERSION, faults, limits, sizes, schedule };
}

function parseLimits(value: unknown, bad: (what: string) => never): ExecutionLimits {
  if (!isJsonRecord(value)) return bad("'limits' must hold eventsMax and virtualTimeMaxMs");
  const { eventsMax, virtualTimeMaxMs } = value;
  if (typeof eventsMax !== "number" || !Number.isSafeInteger(eventsMax) || eventsMax < 1) bad("'limits.eventsMax' must be an integer ≥ 1");
  if (typeof virtualTimeMaxMs !== "number" || !Number.isFinite(virtualTimeMaxMs) || virtualTimeMaxMs <= 0) bad("'limits.virtualTimeMaxMs' must be a number > 0");
  return { eventsMax: eventsMax as number, virtualTimeMaxMs: virtualTimeMaxMs as number };
}

function parseSizes(value: unknown, bad: (what: string) => never): Sizes {
  if (!isJsonRecord(value)) return bad("'sizes' must be an object of integers");
  for (const size of Object.values(value)) if (typeof size !== "number" || !Number.isSafeInteger(size)) bad("'sizes' must be an object of integers");
  return value as Sizes;
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "_");
}
