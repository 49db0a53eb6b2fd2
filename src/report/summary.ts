// The sweep summary (summary.json): one entry per scenario and variant, built from a sweep's
// result, with a tally per invariant (seeds that broke it, the first one and its replay file). A
// sharded sweep also writes seeds.jsonl, one line per seed run (with its verdict, the invariants
// it broke and whether its logical trace is admissible), so that `dsim report merge` can recount
// the shards exactly as the unsharded sweep counts.
// A variant whose sweep stopped at a seed the scenario broke has the verdict "scenario-error" and
// its `scenarioError` (seed, kind, message, the command that runs it again): never "holds", never a
// divergence, and never a `diverges` variant caught. Likewise a variant whose sweep stopped at a
// seed that did not finish: the verdict "hung" or "out-of-memory", and its `lost` seed with its
// replay file.

import type { Expectation, Sizes } from "../core/scenario.ts";
import { DSIM_VERSION } from "../core/version.ts";
import type { LostVerdict } from "../execution/lost.ts";
import type { Violation } from "../execution/verdict.ts";
import type { DeterminismReport, Nondeterminism } from "../explore/parallel.ts";
import type { ShrinkReport } from "../explore/shrink/report.ts";
import type { Shard } from "../explore/sweep.ts";
import type { InvariantCount, LostSeed, ScenarioTrouble, SeedOutcome, SweepCounts } from "../explore/tally.ts";

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

/** The seed where the scenario broke, and the `dsim run` command that shows it again. */
export interface ScenarioErrorSummary extends ScenarioTrouble {
  readonly run: string;
}

/** The seed whose execution did not finish (hung, out of memory): it ended its variant's sweep. */
export interface LostSummary {
  readonly seed: number;
  readonly verdict: LostVerdict;
  readonly message: string;
  readonly replay: string;
  readonly replayFile: string;
}

export type SweepVerdict = "holds" | "diverges" | "nondeterministic" | "scenario-error" | LostVerdict;

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
  /** The seed where the scenario broke (the sweep of this variant stopped there), if one did. */
  readonly scenarioError: ScenarioErrorSummary | null;
  /** The seed that did not finish (the sweep of this variant stopped there): verdict `hung` or `out-of-memory`. */
  readonly lost: LostSummary | null;
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
  /** Variants whose sweep stopped at a seed the scenario broke. */
  readonly scenarioErrors: number;
  readonly sweeps: readonly SweepEntry[];
}

/** A line of seeds.jsonl: a seed's outcome, or the seed where the scenario broke or that did not finish (the last line of its variant). */
export type SeedLine = OutcomeLine | TroubleLine | LostLine;

export interface OutcomeLine {
  readonly scenario: string;
  readonly variant: string;
  readonly seed: number;
  readonly workloadSeed: number;
  /** The sizes the seed ran at (drawn per seed under swarm): with the workload seed, its logical input. */
  readonly sizes?: Sizes;
  readonly physicalHash: string;
  readonly logicalHash: string;
  readonly admissible: boolean;
  readonly events: number;
  readonly verdict: SeedOutcome["verdict"];
  readonly broken: readonly string[];
  readonly checked?: true;
}

export interface TroubleLine extends ScenarioTrouble {
  readonly scenario: string;
  readonly variant: string;
  readonly verdict: "scenario-error";
}

export interface LostLine extends LostSeed {
  readonly scenario: string;
  readonly variant: string;
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
  /** The command that runs the seed where the scenario broke (result.scenarioError) again. */
  readonly scenarioErrorRun: string | null;
  /** The replay file of the seed that did not finish (result.lost). */
  readonly lostReplayFile: string | null;
  readonly determinism: DeterminismReport | undefined;
  readonly wallSeconds: number;
}

export function sweepEntry(input: EntryInput): SweepEntry {
  const { result, determinism, wallSeconds } = input;
  const caught = result.divergences > 0;
  const nondeterministic = (determinism?.mismatches.length ?? 0) > 0;
  const trouble = result.scenarioError;
  const broken = trouble !== null;
  const lost = result.lost;
  return {
    scenario: result.scenario,
    variant: result.variant,
    expect: result.expect,
    verdict: nondeterministic ? "nondeterministic" : broken ? "scenario-error" : lost !== null ? lost.verdict : caught ? "diverges" : "holds",
    // A hang or a heap exhausted is never what a variant declares: it fails either way.
    expectationMet: !nondeterministic && !broken && lost === null && (result.expect === "diverges" ? caught : !caught),
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
    scenarioError: trouble === null ? null : { ...trouble, run: input.scenarioErrorRun ?? "" },
    lost: lost === null ? null : { seed: lost.seed, verdict: lost.verdict, message: lost.message, replay: `dsim replay ${input.lostReplayFile ?? ""}`, replayFile: input.lostReplayFile ?? "" },
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
    scenarioErrors: entries.filter((entry) => entry.scenarioError !== null).length,
    sweeps: entries,
  };
}

export function seedLines(scenario: string, variant: string, outcomes: readonly SeedOutcome[], checkedSeeds: readonly number[], trouble: ScenarioTrouble | null, lost: LostSeed | null = null): SeedLine[] {
  const checked = new Set(checkedSeeds);
  const lines: SeedLine[] = outcomes.map((outcome) => ({
    scenario,
    variant,
    seed: outcome.seed,
    workloadSeed: outcome.workloadSeed,
    ...(outcome.sizes === undefined ? {} : { sizes: outcome.sizes }),
    physicalHash: outcome.physicalHash,
    logicalHash: outcome.logicalHash,
    admissible: outcome.admissible,
    events: outcome.events,
    verdict: outcome.verdict,
    broken: outcome.broken,
    ...(checked.has(outcome.seed) ? { checked: true as const } : {}),
  }));
  if (trouble !== null) lines.push({ scenario, variant, ...trouble, verdict: "scenario-error" });
  if (lost !== null) lines.push({ scenario, variant, ...lost });
  return lines;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
