// The CLI's options, declared once and shared by the commands that take them, and the parsers
// that turn their text into the library's values. Defaults come from the library (execution/spec.ts),
// never written here a second time. A bad value is the user's input error: one line naming the option.

import { availableParallelism } from "node:os";
import { UsageError } from "../core/errors.ts";
import { readJsonFile, statOf } from "../core/files.ts";
import type { ExecutionLimits, Sizes } from "../core/scenario.ts";
import { EVENTS_MAX_LIMIT } from "../execution/limits.ts";
import { DEFAULT_EXECUTION_TIMEOUT_MS, defaultWatchdogLimits, HEAP_MAX_MB_MIN, type WatchdogLimits } from "../execution/lost.ts";
import { DEFAULT_FAULTS, DEFAULT_LIMITS, DEFAULT_WORKLOAD_SEED } from "../execution/spec.ts";
import { PROFILE_NAMES, parseFaultSpec, type FaultSpec } from "../world/faults.ts";

/** The largest fault-profile file: a profile is some twenty numbers. */
const FAULT_PROFILE_BYTES_MAX = 2 ** 20;
/** Seeds one process sweeps per variant: it keeps each seed's outcome (a few hundred bytes). More: split with --shard. */
export const SEEDS_PER_VARIANT_MAX = 1_000_000;
/** The longest wall-clock limit of one execution: a day. */
const EXECUTION_TIMEOUT_MS_MAX = 86_400_000;
/** The largest heap a worker may be given (V8 cannot address more in one isolate's old generation). */
const HEAP_MAX_MB_MAX = 65_536;

/** Options every command that executes takes (run, sweep, explore), in yargs' terms. */
export const EXECUTION_OPTIONS = {
  faults: { type: "string", default: DEFAULT_FAULTS, describe: "fault profile: none, light, heavy, swarm (each seed draws its faults, targeted nemeses, phases and variable sizes), or a .json file (its \"base\" may be swarm)" },
  "workload-seed": { type: "string", default: String(DEFAULT_WORKLOAD_SEED), describe: "seed of the logical input (the workload)" },
  size: { type: "string", array: true, describe: "a size of the scenario, name=value (repeatable): --size messages=3" },
  "events-max": { type: "string", describe: `event budget of one execution (default: the scenario's, else ${DEFAULT_LIMITS.eventsMax})` },
  "time-max-ms": { type: "string", describe: `virtual-time budget of one execution in ms (default: the scenario's, else ${DEFAULT_LIMITS.virtualTimeMaxMs})` },
} as const;

/** The watchdog's options: every command that executes takes them (run, sweep, explore, replay, shrink). */
export const WATCHDOG_OPTIONS = {
  "execution-timeout-ms": { type: "string", describe: `wall-clock limit of one execution; past it the seed is reported 'hung' (default ${DEFAULT_EXECUTION_TIMEOUT_MS})` },
  "heap-max-mb": { type: "string", describe: "heap of each worker thread; past it the seed is reported 'out-of-memory' (default: half the memory, shared among workers, at most 2048)" },
} as const;

export interface WatchdogArgs {
  readonly "execution-timeout-ms"?: string;
  readonly "heap-max-mb"?: string;
}

/** The watchdog's limits for `workers` worker threads; `recorded` (a replay file's) before the defaults. */
export function watchdogOf(args: WatchdogArgs, workers: number, recorded?: WatchdogLimits): WatchdogLimits {
  const timeout = args["execution-timeout-ms"];
  const heap = args["heap-max-mb"];
  return {
    executionTimeoutMs: timeout === undefined ? (recorded?.executionTimeoutMs ?? DEFAULT_EXECUTION_TIMEOUT_MS) : parseIntegerIn("execution-timeout-ms", timeout, 1, EXECUTION_TIMEOUT_MS_MAX),
    heapMaxMb: heap === undefined ? (recorded?.heapMaxMb ?? defaultWatchdogLimits(workers).heapMaxMb) : parseIntegerIn("heap-max-mb", heap, HEAP_MAX_MB_MIN, HEAP_MAX_MB_MAX),
  };
}

/** `--workers K`: at least 1, at most the machine's cores (more threads than cores only add memory). */
export function parseWorkers(raw: string | undefined): number {
  const cores = availableParallelism();
  if (raw === undefined) return cores;
  const workers = parsePositiveInteger("workers", raw);
  if (workers > cores) throw new UsageError(`--workers ${workers} is more than this machine's ${cores} core${cores === 1 ? "" : "s"}: give at most ${cores}`);
  return workers;
}

/** A sweep's seed range: `--from` and `--seeds`, every seed safe (from + count ≤ 2^53), the count one process can hold. */
export function parseSeedRange(rawFrom: unknown, rawCount: unknown, shardCount = 1): { seedFrom: number; seedCount: number } {
  const seedFrom = parseNonNegativeInteger("from", rawFrom);
  const seedCount = parsePositiveInteger("seeds", rawCount);
  checkSeedRange(seedFrom, seedCount, shardCount, `--seeds ${seedCount}`);
  return { seedFrom, seedCount };
}

/** Checks a range of `seedCount` seeds from `seedFrom`, split into `shardCount` shards; `count` says where the count comes from. */
export function checkSeedRange(seedFrom: number, seedCount: number, shardCount: number, count: string): void {
  if (seedFrom + seedCount > 2 ** 53) {
    throw new UsageError(`--from ${seedFrom} with ${count} runs past the largest seed, ${Number.MAX_SAFE_INTEGER}: from + count must be at most 2^53`);
  }
  if (Math.ceil(seedCount / shardCount) > SEEDS_PER_VARIANT_MAX) {
    const shards = Math.ceil(seedCount / SEEDS_PER_VARIANT_MAX);
    throw new UsageError(`${count} is more than one process sweeps (at most ${SEEDS_PER_VARIANT_MAX} seeds per variant${shardCount > 1 ? " and shard" : ""}): split it with --shard i/${shards} or more`);
  }
}

export const OUT_OPTION = { type: "string", default: "reports", describe: "folder for replay files, summaries and pages" } as const;
export const JSON_OPTION = { type: "boolean", default: false, describe: "print exactly one JSON document on stdout" } as const;
export const TRACE_OPTION = { type: "boolean", default: false, describe: "print the physical trace, event by event" } as const;

export interface ExecutionArgs {
  readonly faults: string;
  readonly "workload-seed": string;
  readonly size?: readonly string[];
  readonly "events-max"?: string;
  readonly "time-max-ms"?: string;
}

/** The parts of an execution spec the execution options give. */
export function executionSettingsOf(args: ExecutionArgs): { faults: FaultSpec; workloadSeed: number; sizes: Sizes; limits: Partial<ExecutionLimits> } {
  return { faults: parseFaults(args.faults), workloadSeed: parseNonNegativeInteger("workload-seed", args["workload-seed"]), sizes: parseSizes(args.size), limits: limitsOf(args) };
}

export function limitsOf(args: Pick<ExecutionArgs, "events-max" | "time-max-ms">): Partial<ExecutionLimits> {
  return {
    ...(args["events-max"] === undefined ? {} : { eventsMax: parseIntegerIn("events-max", args["events-max"], 1, EVENTS_MAX_LIMIT) }),
    ...(args["time-max-ms"] === undefined ? {} : { virtualTimeMaxMs: parsePositiveInteger("time-max-ms", args["time-max-ms"]) }),
  };
}

/** A seed or count: a safe non-negative integer written in decimal digits. */
export function parseNonNegativeInteger(name: string, raw: unknown): number {
  const text = String(raw);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--${name} must be a non-negative integer, got '${text}'`);
  }
  return Number(text);
}

export function parsePositiveInteger(name: string, raw: unknown): number {
  const value = parseNonNegativeInteger(name, raw);
  if (value === 0) throw new UsageError(`--${name} must be at least 1`);
  return value;
}

/** An integer in [min, max], written in decimal digits. */
export function parseIntegerIn(name: string, raw: unknown, min: number, max: number): number {
  const text = String(raw);
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be an integer in [${min}, ${max}], got '${text}'`);
  return value;
}

/** `--size name=value`, repeatable; whether the scenario has such a size is checked when it runs. */
export function parseSizes(raw: readonly string[] | undefined): Sizes {
  const sizes: Record<string, number> = {};
  for (const entry of raw ?? []) {
    const match = /^([A-Za-z][\w-]*)=(\d+)$/.exec(entry);
    if (match === null || !Number.isSafeInteger(Number(match[2]))) throw new UsageError(`--size must be name=value with a non-negative integer value, got '${entry}'`);
    if (match[1]! in sizes) throw new UsageError(`--size ${match[1]} is given twice`);
    sizes[match[1]!] = Number(match[2]);
  }
  return sizes;
}

/** A named profile, or a JSON file holding one. */
export function parseFaults(raw: unknown): FaultSpec {
  const text = String(raw);
  if ((PROFILE_NAMES as readonly string[]).includes(text)) return text;
  if (statOf(text)?.isDirectory() === true) throw new UsageError(`--faults '${text}' is a folder: give a profile's name (${PROFILE_NAMES.join(", ")}) or a .json file`);
  if (!text.endsWith(".json")) throw new UsageError(`unknown fault profile '${text}' (known: ${PROFILE_NAMES.join(", ")}, or a .json file)`);
  return parseFaultSpec(readJsonFile(text, "fault profile file", FAULT_PROFILE_BYTES_MAX), text);
}

/** The most shards a sweep may be split into. */
export const SHARDS_MAX = 1_000_000;

/** `--shard auto` takes the shard's index from this variable (set by a Kubernetes Indexed Job)... */
export const SHARD_INDEX_VARIABLE = "JOB_COMPLETION_INDEX";
/** ...and the number of shards from this one (the Job's `completions`, which Kubernetes does not pass). */
export const SHARD_COUNT_VARIABLE = "DSIM_SHARD_COUNT";

/** `--shard i/n`: shard i (0-based) of n; `--shard auto`: i and n from the environment. */
export function parseShard(raw: unknown, environment: Readonly<Record<string, string | undefined>> = process.env): { index: number; count: number } {
  if (String(raw) === "auto") return shardFromEnvironment(environment);
  const match = /^(\d+)\/(\d+)$/.exec(String(raw));
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(count) || count < 1 || count > SHARDS_MAX || index >= count) {
    throw new UsageError(`--shard must be i/n with 0 ≤ i < n ≤ ${SHARDS_MAX} (for example 0/4) or auto, got '${String(raw)}'`);
  }
  return { index, count };
}

function shardFromEnvironment(environment: Readonly<Record<string, string | undefined>>): { index: number; count: number } {
  const rawIndex = environment[SHARD_INDEX_VARIABLE];
  const rawCount = environment[SHARD_COUNT_VARIABLE];
  if (rawIndex === undefined) throw new UsageError(`--shard auto needs ${SHARD_INDEX_VARIABLE} (the shard's index, which a Kubernetes Indexed Job sets) in the environment`);
  if (rawCount === undefined) throw new UsageError(`--shard auto needs ${SHARD_COUNT_VARIABLE} (the number of shards: the Job's completions) in the environment`);
  const count = /^\d+$/.test(rawCount) ? Number(rawCount) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < 1 || count > SHARDS_MAX) throw new UsageError(`--shard auto: ${SHARD_COUNT_VARIABLE} must be an integer in [1, ${SHARDS_MAX}], got '${rawCount}'`);
  const index = /^\d+$/.test(rawIndex) ? Number(rawIndex) : Number.NaN;
  if (!Number.isSafeInteger(index) || index >= count) throw new UsageError(`--shard auto: ${SHARD_INDEX_VARIABLE} must be an integer in [0, ${count - 1}] (${SHARD_COUNT_VARIABLE} is ${count}), got '${rawIndex}'`);
  return { index, count };
}
