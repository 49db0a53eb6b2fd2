// A readable diff of two logical traces: the paths where they differ, first difference first.

import type { Json } from "./json.ts";
import { canonicalJson } from "./hash.ts";

export interface Difference {
  readonly path: string;
  readonly expected: Json | undefined;
  readonly seen: Json | undefined;
}

export function diffJson(expected: Json, seen: Json, differencesMax = 8): Difference[] {
  const differences: Difference[] = [];
  walk("$", expected, seen, differences, differencesMax);
  return differences;
}

export function describeDifference(difference: Difference): string {
  const show = (value: Json | undefined): string => (value === undefined ? "(absent)" : truncate(canonicalJson(value)));
  return `${difference.path}: expected ${show(difference.expected)}, seen ${show(difference.seen)}`;
}

function walk(path: string, expected: Json | undefined, seen: Json | undefined, out: Difference[], max: number): void {
  if (out.length >= max) return;
  if (isRecord(expected) && isRecord(seen)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(seen)])].sort();
    for (const key of keys) walk(`${path}.${key}`, expected[key], seen[key], out, max);
    return;
  }
  if (Array.isArray(expected) && Array.isArray(seen)) {
    const length = Math.max(expected.length, seen.length);
    for (let index = 0; index < length; index++) walk(`${path}[${index}]`, expected[index], seen[index], out, max);
    return;
  }
  const same = expected !== undefined && seen !== undefined && canonicalJson(expected) === canonicalJson(seen);
  if (!same) out.push({ path, expected, seen });
}

function isRecord(value: Json | undefined): value is { readonly [key: string]: Json } {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function truncate(text: string, lengthMax = 120): string {
  return text.length <= lengthMax ? text : `${text.slice(0, lengthMax - 1)}…`;
}
