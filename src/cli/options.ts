// The CLI's options, declared once and shared by the commands that take them, and the parsers
// that turn their text into the library's values. Defaults come from the library (execution/spec.ts),
// never written here a second time. A bad value is the user's input error: one line naming the option.

import { UsageError } from "../core/errors.ts";
import { readJsonFile } from "../core/files.ts";
import type { ExecutionLimits, Sizes } from "../core/scenario.ts";
import { DEFAULT_FAULTS, DEFAULT_LIMITS, DEFAULT_WORKLOAD_SEED } from "../execution/spec.ts";
import { PROFILE_NAMES, parseFaultProfile, type FaultSpec } from "../world/faults.ts";

/** Options every command that executes takes (run, sweep, explore), in yargs' terms. */
export const EXECUTION_OPTIONS = {
  faults: { type: "string", default: DEFAULT_FAULTS, describe: "fault profile: none, light, heavy, swarm, or a .json file" },
  "workload-seed": { type: "string", default: String(DEFAULT_WORKLOAD_SEED), describe: "seed of the logical input (the workload)" },
  size: { type: "string", array: true, describe: "a size of the scenario, name=value (repeatable): --size messages=3" },
  "events-max": { type: "string", describe: `event budget of one execution (default: the scenario's, else ${DEFAULT_LIMITS.eventsMax})` },
  "time-max-ms": { type: "string", describe: `virtual-time budget of one execution in ms (default: the scenario's, else ${DEFAULT_LIMITS.virtualTimeMaxMs})` },
} as const;

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
    ...(args["events-max"] === undefined ? {} : { eventsMax: parsePositiveInteger("events-max", args["events-max"]) }),
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
  if (!text.endsWith(".json")) throw new UsageError(`unknown fault profile '${text}' (known: ${PROFILE_NAMES.join(", ")}, or a .json file)`);
  return parseFaultProfile(readJsonFile(text, "fault profile file"), text);
}

/** `--shard i/n`: shard i (0-based) of n. */
export function parseShard(raw: unknown): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(String(raw));
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(count) || count < 1 || index >= count) {
    throw new UsageError(`--shard must be i/n with 0 ≤ i < n (for example 0/4), got '${String(raw)}'`);
  }
  return { index, count };
}
