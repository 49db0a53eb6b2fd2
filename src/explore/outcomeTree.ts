// What the exhaustive search knows about the schedules that lead on from one state: how many are
// complete, how many a bound cut short, and how many end in each logical outcome (with one
// example schedule each). Summaries are immutable once built, so a memoized one can be shared.

import type { Json } from "../core/json.ts";
import type { Tape } from "../core/tape.ts";
import type { ExecutionResult, Verdict } from "../execution/execute.ts";
import type { Violation } from "../execution/verdict.ts";

/** One logical outcome of the search, with how many schedules reach it and one that does. */
export interface ExploredOutcome {
  readonly logicalHash: string;
  readonly logical: Json;
  /** How many complete schedules end in this logical outcome. */
  readonly schedules: number;
  readonly verdict: Verdict;
  readonly violations: readonly Violation[];
  /** One schedule that ends in it: its execution and its tape (a replay file's `schedule`). */
  readonly example: ExecutionResult;
  readonly schedule: Tape;
}

interface OutcomeCount {
  readonly count: number;
  readonly example: ExecutionResult;
  readonly schedule: Tape;
}

export interface SubtreeSummary {
  readonly schedules: number;
  readonly truncated: number;
  /** By logical hash. */
  readonly outcomes: ReadonlyMap<string, OutcomeCount>;
}

const EMPTY_OUTCOMES: ReadonlyMap<string, OutcomeCount> = new Map();

export function leafSummary(result: ExecutionResult, schedule: Tape): SubtreeSummary {
  return { schedules: 1, truncated: 0, outcomes: new Map([[outcomeKey(result), { count: 1, example: result, schedule }]]) };
}

export function truncatedSummary(): SubtreeSummary {
  return { schedules: 0, truncated: 1, outcomes: EMPTY_OUTCOMES };
}

/** An outcome is a logical trace with its verdict (the same trace may break an invariant or not). */
function outcomeKey(result: ExecutionResult): string {
  return result.verdict === "holds" ? result.logicalHash : `${result.logicalHash}!${result.violations.map((v) => v.invariant).join(",")}`;
}

/** A summary being added up: it owns its outcome map until it is frozen into a SubtreeSummary. */
export interface SummaryTotal {
  schedules: number;
  truncated: number;
  readonly outcomes: Map<string, OutcomeCount>;
}

export function emptyTotal(): SummaryTotal {
  return { schedules: 0, truncated: 0, outcomes: new Map() };
}

/** Adds `summary` into `total` (changing `total` only). */
export function addInto(total: SummaryTotal, summary: SubtreeSummary): void {
  total.schedules += summary.schedules;
  total.truncated += summary.truncated;
  for (const [key, tally] of summary.outcomes) {
    const earlier = total.outcomes.get(key);
    total.outcomes.set(key, earlier === undefined ? tally : { ...earlier, count: earlier.count + tally.count });
  }
}

/** The outcomes, most frequent first, ties by logical hash. */
export function sortedOutcomes(summary: SubtreeSummary): ExploredOutcome[] {
  const outcomes = [...summary.outcomes.values()].map(({ count, example, schedule }) => ({
    logicalHash: example.logicalHash,
    logical: example.logical,
    schedules: count,
    verdict: example.verdict,
    violations: example.violations,
    example,
    schedule,
  }));
  return outcomes.sort((a, b) => b.schedules - a.schedules || (a.logicalHash < b.logicalHash ? -1 : a.logicalHash > b.logicalHash ? 1 : 0));
}
