// The sweep summary (summary.json): one entry per scenario and variant, built from a sweep's
// result, with a tally per invariant (seeds that broke it, the first one and its replay file). A
// sharded sweep also writes seeds.jsonl, one line per seed run (with its verdict, the invariants
// it broke and whether its logical trace is admissible), so that `dsim report merge` can recount
// the shards exactly as the unsharded sweep counts.

import type { Expectation } from "../core/scenario.ts";
import { DSIM_VERSION } from "../core/version.ts";
import type { Violation } from "../execution/verdict.ts";
import type { DeterminismReport, Nondeterminism } from "../explore/parallel.ts";
import type { ShrinkReport } from "../explore/shrink.ts";
import type { Shard } from "../explore/sweep.ts";
import type { InvariantCount, SeedOutcome, SweepCounts } from "../explore/tally.ts";

export interface FirstDivergenceSummary {
  readonly seed: number;
  readonly violations: readonly Violation[];
  readonly replay: string;
  readonly replayFile: string;
  readonly shrunk: ShrinkReport | null;
  /** The failure page (HTML) of the shrunk execution, else of the first divergence. */
  readonly page: string | null;
}

/** One invariant over a sweep: how many seeds broke it, the first seed that did and its replay file. */
export interface InvariantSummary extends InvariantCount {
  readonly replayFile: string;
  /** The command that replays the first seed. */
  readonly replay: string;
}

export type SweepVerdict = "holds" | "diverges" | "nondeterministic";

export interface SweepEntry {
  readonly scenario: string;
  readonly variant: string;
  readonly expect: Expectation;
  readonly verdict: SweepVerdict;
  readonly expectationMet: boolean;
  /** Swept in CI mode (--expect): `diverges` variants stop at their first divergence. */
  readonly expectMode: boolean;
  /** count: seeds run; budget: the range asked for (all shards together). */
  readonly seeds: { readonly from: number; readonly count: number; readonly budget: number; readonly stopsAtFirstDivergence: boolean };
  readonly shard: string | null;
  readonly faults: string;
  readonly workloadSeed: number | "varies";
  readonly physicalTraces: number;
  readonly logicalTraces: number;
  /** Of the distinct logical traces: admissible (equal to the reference, or admitted by the scenario) and not. */
  readonly admissibleLogicalTraces: number;
  readonly inadmissibleLogicalTraces: number;
  readonly divergences: number;
  /** Each invariant (and kernel check such as logical-trace) broken in the seeds run, in the order first broken. */
  readonly invariants: readonly InvariantSummary[];
  readonly firstDivergence: FirstDivergenceSummary | null;
  readonly determinism: { readonly checkedSeeds: number; readonly mismatches: readonly Nondeterminism[] } | null;
  readonly events: number;
  readonly wallSeconds: number;
  readonly eventsPerSecond: number;
}

export interface SweepDocument {
  readonly dsimVersion: string;
  readonly faults: string;
  readonly expectMode: boolean;
  readonly divergences: number;
  readonly expectationsUnmet: number;
  readonly nondeterministic: number;
  readonly sweeps: readonly SweepEntry[];
}

/** A line of seeds.jsonl. */
export interface SeedLine {
  readonly scenario: string;
  readonly variant: string;
  readonly seed: number;
  readonly workloadSeed: number;
  readonly physicalHash: string;
  readonly logicalHash: string;
  readonly admissible: boolean;
  readonly events: number;
  readonly verdict: SeedOutcome["verdict"];
  readonly broken: readonly string[];
  readonly checked?: true;
}

export interface EntryInput {
  readonly result: SweepCounts;
  readonly expectMode: boolean;
  readonly budget: number;
  readonly stopsAtFirstDivergence: boolean;
  readonly shard: Shard | undefined;
  readonly faults: string;
  readonly workloadSeed: number | "varies";
  /** The replay file of each seed that first broke an invariant. */
  readonly replayFileOf: (seed: number) => string;
  readonly firstDivergence: FirstDivergenceSummary | null;
  readonly determinism: DeterminismReport | undefined;
  readonly wallSeconds: number;
}

export function sweepEntry(input: EntryInput): SweepEntry {
  const { result, determinism, wallSeconds } = input;
  const caught = result.divergences > 0;
  const nondeterministic = (determinism?.mismatches.length ?? 0) > 0;
  return {
    scenario: result.scenario,
    variant: result.variant,
    expect: result.expect,
    verdict: nondeterministic ? "nondeterministic" : caught ? "diverges" : "holds",
    expectationMet: !nondeterministic && (result.expect === "diverges" ? caught : !caught),
    expectMode: input.expectMode,
    seeds: { from: result.seedFrom, count: result.seedsRun, budget: input.budget, stopsAtFirstDivergence: input.stopsAtFirstDivergence },
    shard: input.shard === undefined ? null : `${input.shard.index}/${input.shard.count}`,
    faults: input.faults,
    workloadSeed: input.workloadSeed,
    physicalTraces: result.physicalTraces,
    logicalTraces: result.logicalTraces,
    admissibleLogicalTraces: result.admissibleLogicalTraces,
    inadmissibleLogicalTraces: result.inadmissibleLogicalTraces,
    divergences: result.divergences,
    invariants: result.invariants.map((count) => {
      const replayFile = input.replayFileOf(count.firstSeed);
      return { ...count, replayFile, replay: `dsim replay ${replayFile}` };
    }),
    firstDivergence: input.firstDivergence,
    determinism: determinism === undefined ? null : { checkedSeeds: determinism.checkedSeeds.length, mismatches: determinism.mismatches },
    events: result.events,
    wallSeconds: round(wallSeconds, 3),
    eventsPerSecond: wallSeconds > 0 ? Math.round(result.events / wallSeconds) : 0,
  };
}

export function sweepDocument(entries: readonly SweepEntry[], faults: string, expectMode: boolean): SweepDocument {
  return {
    dsimVersion: DSIM_VERSION,
    faults,
    expectMode,
    divergences: entries.reduce((total, entry) => total + entry.divergences, 0),
    expectationsUnmet: entries.filter((entry) => !entry.expectationMet).length,
    nondeterministic: entries.filter((entry) => entry.verdict === "nondeterministic").length,
    sweeps: entries,
  };
}

export function seedLines(scenario: string, variant: string, outcomes: readonly SeedOutcome[], checkedSeeds: readonly number[]): SeedLine[] {
  const checked = new Set(checkedSeeds);
  return outcomes.map((outcome) => ({
    scenario,
    variant,
    seed: outcome.seed,
    workloadSeed: outcome.workloadSeed,
    physicalHash: outcome.physicalHash,
    logicalHash: outcome.logicalHash,
    admissible: outcome.admissible,
    events: outcome.events,
    verdict: outcome.verdict,
    broken: outcome.broken,
    ...(checked.has(outcome.seed) ? { checked: true as const } : {}),
  }));
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
