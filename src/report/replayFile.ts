// Replay files: everything that identifies one execution (dsim version, scenario, variant, seed,
// logical input, concrete fault profile, limits) and the hashes and verdict it is expected to give.
// A schedule no seed can express (one found by exhaustive exploration) also carries its choices;
// a shrunk execution carries its fault decisions (both optional, so the format stays version 1).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ExecutionLimits, Sizes } from "../scenario.ts";
import { UsageError } from "../errors.ts";
import type { ExecutionResult, Verdict } from "../explore/execute.ts";
import type { Violation } from "../check/verdict.ts";
import { DECISION_KINDS, type Choice, type Decision, type DecisionKind } from "../kernel/chooser.ts";
import { parseFaultProfile, type FaultProfile } from "../network/faults.ts";
import { DSIM_VERSION } from "../version.ts";
import { writeFileAtomic } from "./atomicWrite.ts";

export const REPLAY_FORMAT = "dsim-replay";
export const REPLAY_FORMAT_VERSION = 1;

export interface ReplayFile {
  readonly format: typeof REPLAY_FORMAT;
  readonly formatVersion: number;
  readonly dsimVersion: string;
  /** A built-in scenario's name, or the path of a user's scenario file. */
  readonly scenario: string;
  readonly variant: string;
  readonly seed: number;
  readonly workloadSeed: number;
  readonly faults: FaultProfile;
  readonly limits: ExecutionLimits;
  /** Optional: the scenario's sizes, when they differ from its defaults. */
  readonly sizes?: Sizes;
  /**
   * Optional: every choice of the schedule, in the order the execution asked for them (fault
   * decisions as 0/1, delivery order as an index among the ready deliveries). When present, the
   * execution follows these choices instead of drawing them from the seed.
   */
  readonly choices?: readonly Choice[];
  readonly expected: {
    readonly physicalHash: string;
    readonly logicalHash: string;
    readonly verdict: Verdict;
    readonly violations: readonly Violation[];
  };
  /** The recorded decisions (see encodeDecisions); absent: the decisions are drawn from the seed. */
  readonly decisions?: string;
  /** Present on a shrunk execution: where it came from and how much it shrank. */
  readonly shrunk?: {
    readonly from: string;
    readonly faultsBefore: number;
    readonly faultsAfter: number;
    readonly eventsBefore: number;
    readonly eventsAfter: number;
  };
}

export function replayOf(result: ExecutionResult, scenarioSource: string, choices?: readonly Choice[]): ReplayFile {
  return {
    format: REPLAY_FORMAT,
    formatVersion: REPLAY_FORMAT_VERSION,
    dsimVersion: DSIM_VERSION,
    scenario: scenarioSource,
    variant: result.variant,
    seed: result.seed,
    workloadSeed: result.workloadSeed,
    faults: result.faults,
    limits: result.limits,
    ...(result.sizes === undefined ? {} : { sizes: result.sizes }),
    ...(choices === undefined ? {} : { choices }),
    expected: {
      physicalHash: result.physicalHash,
      logicalHash: result.logicalHash,
      verdict: result.verdict,
      violations: result.violations,
    },
  };
}

/**
 * Decisions as one line of text: `drop?1` a chance (0 or 1), `delay=37` a magnitude, `*N` a run of
 * N equal decisions. Example: `drop?0*4 drop?1 delay?1 delay=37 duplicate?0`.
 */
export function encodeDecisions(decisions: readonly Decision[]): string {
  const tokens: string[] = [];
  for (let index = 0; index < decisions.length; ) {
    const decision = decisions[index]!;
    let run = 1;
    while (sameDecision(decisions[index + run], decision)) run++;
    const token = `${decision.kind}${decision.question === "chance" ? "?" : "="}${decision.value}`;
    tokens.push(run === 1 ? token : `${token}*${run}`);
    index += run;
  }
  return tokens.join(" ");
}

function sameDecision(a: Decision | undefined, b: Decision): boolean {
  return a !== undefined && a.kind === b.kind && a.question === b.question && a.value === b.value;
}

/** Parses encodeDecisions' text; `source` names it in the error of a bad token. */
export function decodeDecisions(text: string, source: string): Decision[] {
  const decisions: Decision[] = [];
  for (const token of text.split(/\s+/).filter((part) => part !== "")) {
    const match = /^([a-z]+)([?=])(\d+)(?:\*(\d+))?$/.exec(token);
    const kind = match?.[1] as DecisionKind | undefined;
    if (match === null || kind === undefined || !DECISION_KINDS.includes(kind)) throw new UsageError(`${source}: bad decision '${token}'`);
    const question = match[2] === "?" ? "chance" : "below";
    const value = Number(match[3]);
    if (question === "chance" && value > 1) throw new UsageError(`${source}: a chance decision is 0 or 1, got '${token}'`);
    const run = match[4] === undefined ? 1 : Number(match[4]);
    for (let index = 0; index < run; index++) decisions.push({ kind, question, value });
  }
  return decisions;
}

export function replayPath(outputDirectory: string, result: Pick<ExecutionResult, "scenario" | "variant" | "seed">): string {
  return join(outputDirectory, safeName(result.scenario), safeName(result.variant), `seed-${result.seed}.replay.json`);
}

/** Where an explored schedule's replay file goes: named by the logical outcome it reaches. */
export function exploredReplayPath(outputDirectory: string, result: ExecutionResult): string {
  return join(outputDirectory, safeName(result.scenario), safeName(result.variant), `explore-${result.logicalHash}.replay.json`);
}

export function writeReplayFile(path: string, replay: ReplayFile): void {
  writeFileAtomic(path, `${JSON.stringify(replay, null, 2)}\n`);
}

export function readReplayFile(path: string): ReplayFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UsageError(`cannot read replay file '${path}'`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`replay file '${path}' is not valid JSON`);
  }
  return parseReplay(value, path);
}

function parseReplay(value: unknown, path: string): ReplayFile {
  const bad = (what: string): never => {
    throw new UsageError(`replay file '${path}': ${what}`);
  };
  if (value === null || typeof value !== "object" || Array.isArray(value)) return bad("not a JSON object");
  const record = value as Record<string, unknown>;
  if (record.format !== REPLAY_FORMAT) return bad(`not a dsim replay file (format is ${JSON.stringify(record.format)})`);
  if (record.formatVersion !== REPLAY_FORMAT_VERSION) {
    return bad(`unknown format version ${JSON.stringify(record.formatVersion)} (this dsim reads version ${REPLAY_FORMAT_VERSION})`);
  }
  for (const key of ["dsimVersion", "scenario", "variant"]) if (typeof record[key] !== "string") bad(`'${key}' must be a string`);
  for (const key of ["seed", "workloadSeed"]) if (!Number.isSafeInteger(record[key]) || (record[key] as number) < 0) bad(`'${key}' must be a non-negative integer`);
  const limits = record.limits as Record<string, unknown> | undefined;
  if (typeof limits !== "object" || limits === null || !Number.isFinite(limits.eventsMax) || !Number.isFinite(limits.virtualTimeMaxMs)) {
    bad("'limits' must hold eventsMax and virtualTimeMaxMs");
  }
  const expected = record.expected as Record<string, unknown> | undefined;
  if (typeof expected !== "object" || expected === null || typeof expected.physicalHash !== "string" || typeof expected.logicalHash !== "string") {
    bad("'expected' must hold physicalHash and logicalHash");
  }
  const faults = parseFaultProfile(record.faults, `replay file '${path}' faults`);
  if (record.sizes !== undefined) parseSizes(record.sizes, bad);
  if (record.choices !== undefined) parseChoices(record.choices, bad);
  if (record.decisions !== undefined) {
    if (typeof record.decisions !== "string") bad("'decisions' must be a string");
    decodeDecisions(record.decisions as string, `replay file '${path}'`);
  }
  return { ...(record as unknown as ReplayFile), faults };
}

function parseSizes(value: unknown, bad: (what: string) => never): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) bad("'sizes' must be an object of integers");
  for (const size of Object.values(value as object)) if (!Number.isSafeInteger(size)) bad("'sizes' must be an object of integers");
}


function parseChoices(value: unknown, bad: (what: string) => never): void {
  if (!Array.isArray(value)) bad("'choices' must be a list");
  (value as unknown[]).forEach((choice, index) => {
    const record = choice as Record<string, unknown> | null;
    const known = typeof record?.kind === "string" && (DECISION_KINDS as readonly string[]).includes(record.kind);
    if (!known || !Number.isSafeInteger(record!.value) || (record!.value as number) < 0) {
      bad(`choice ${index} must be { "kind": one of ${DECISION_KINDS.join(", ")}, "value": a non-negative integer }`);
    }
  });
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "_");
}
