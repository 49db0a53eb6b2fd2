// Parsing and checking the CLI's values: seeds, counts, fault profiles. Bad values are the user's
// input errors (UsageError: one line, exit 2).

import { readFileSync } from "node:fs";
import { UsageError } from "../errors.ts";
import { PROFILE_NAMES, parseFaultProfile, type FaultSpec } from "../network/faults.ts";

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

/** A named profile, or a JSON file holding one. */
export function parseFaults(raw: unknown): FaultSpec {
  const text = String(raw);
  if ((PROFILE_NAMES as readonly string[]).includes(text)) return text;
  if (!text.endsWith(".json")) throw new UsageError(`unknown fault profile '${text}' (known: ${PROFILE_NAMES.join(", ")}, or a .json file)`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(text, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "is not valid JSON";
    throw new UsageError(`fault profile file '${text}' ${reason}`);
  }
  return parseFaultProfile(value, text);
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
