// What the exhaustive search knows about the schedules that lead on from one state: how many are
// complete, how many a bound cut short, and how many end in each logical outcome (with one
// example schedule each). Summaries are immutable once built, so a memoized one can be shared.

import type { Choice } from "../kernel/chooser.ts";
import type { ExecutionResult } from "./execute.ts";
import type { ExploredOutcome } from "./exhaustive.ts";

interface Tally {
  readonly count: number;
  readonly example: ExecutionResult;
  readonly choices: readonly Choice[];
}

export interface Summary {
  readonly schedules: number;
  readonly truncated: number;
  /** By logical hash. */
  readonly outcomes: ReadonlyMap<string, Tally>;
}

const EMPTY_OUTCOMES: ReadonlyMap<string, Tally> = new Map();

export function leafSummary(result: ExecutionResult, choices: readonly Choice[]): Summary {
  return { schedules: 1, truncated: 0, outcomes: new Map([[outcomeKey(result), { count: 1, example: result, choices }]]) };
}

export function truncatedSummary(): Summary {
  return { schedules: 0, truncated: 1, outcomes: EMPTY_OUTCOMES };
}

/** An outcome is a logical trace with its verdict (the same trace may break an invariant or not). */
function outcomeKey(result: ExecutionResult): string {
  return result.verdict === "holds" ? result.logicalHash : `${result.logicalHash}!${result.violations.map((v) => v.invariant).join(",")}`;
}

/** A summary being added up: it owns its outcome map until it is frozen into a Summary. */
export interface SummaryTotal {
  schedules: number;
  truncated: number;
  readonly outcomes: Map<string, Tally>;
}

export function emptyTotal(): SummaryTotal {
  return { schedules: 0, truncated: 0, outcomes: new Map() };
}

/** Adds `summary` into `total` (changing `total` only). */
export function addInto(total: SummaryTotal, summary: Summary): void {
  total.schedules += summary.schedules;
  total.truncated += summary.truncated;
  for (const [key, tally] of summary.outcomes) {
    const earlier = total.outcomes.get(key);
    total.outcomes.set(key, earlier === undefined ? tally : { ...earlier, count: earlier.count + tally.count });
  }
}

/** The outcomes, most frequent first, ties by logical hash. */
export function sortedOutcomes(summary: Summary): ExploredOutcome[] {
  const outcomes = [...summary.outcomes.values()].map(({ count, example, choices }) => ({
    logicalHash: example.logicalHash,
    logical: example.logical,
    schedules: count,
    verdict: example.verdict,
    violations: example.violations,
    example,
    choices,
  }));
  return outcomes.sort((a, b) => b.schedules - a.schedules || (a.logicalHash < b.logicalHash ? -1 : a.logicalHash > b.logicalHash ? 1 : 0));
}
