// `dsim explore <scenario> --exhaustive`: every schedule of a small scenario, for one variant or
// each of them. Prints schedules, distinct states and distinct logical outcomes (with counts), and
// writes one replay file (carrying the schedule's choices) per divergent outcome.

import type { Scenario, Sizes } from "../scenario.ts";
import { UsageError } from "../errors.ts";
import { findVariant } from "../explore/execute.ts";
import { exploreExhaustively, type ExhaustiveRequest, type ExhaustiveResult } from "../explore/exhaustive.ts";
import { loadScenario } from "../explore/scenarios.ts";
import { exploredReplayPath, replayOf, writeReplayFile } from "../report/replayFile.ts";
import { canonicalJson } from "../trace/hash.ts";
import { DSIM_VERSION } from "../version.ts";
import { wallClockMs, type Io } from "./io.ts";

export interface ExploreOptions {
  readonly scenario: string;
  readonly exhaustive: boolean;
  readonly variant: string | undefined;
  readonly depthMax: number;
  readonly statesMax: number;
  readonly executionsMax: number;
  readonly sizes: Sizes;
  readonly dropsMax: number | undefined;
  readonly duplicates: boolean;
  readonly duplicatesMax: number | undefined;
  readonly workloadSeed: number;
  readonly out: string;
  readonly json: boolean;
}

/** How many outcomes the text output lists before it summarizes the rest. */
const OUTCOMES_SHOWN_MAX = 8;

export async function exploreCommand(options: ExploreOptions, io: Io): Promise<number> {
  if (!options.exhaustive) throw new UsageError("explore needs --exhaustive (the only exploration mode so far; `dsim sweep` samples seeds)");
  const scenario = await loadScenario(options.scenario);
  const variants = options.variant === undefined ? scenario.variants.map((variant) => variant.name) : [findVariant(scenario, options.variant).name];
  const reports = variants.map((variant) => {
    const startedMs = wallClockMs();
    const result = exploreExhaustively(requestOf(options, scenario, variant));
    const report = exploreJson(result, options, scenario, (wallClockMs() - startedMs) / 1000);
    if (!options.json) printExploration(io, report);
    return report;
  });
  const divergentOutcomes = reports.reduce((total, report) => total + report.divergentOutcomes, 0);
  if (options.json) {
    const document = options.variant !== undefined ? reports[0] : { dsimVersion: DSIM_VERSION, scenario: options.scenario, divergentOutcomes, explorations: reports };
    io.out(JSON.stringify(document, null, 2));
  }
  return divergentOutcomes === 0 ? 0 : 1;
}

function requestOf(options: ExploreOptions, scenario: Scenario<any>, variant: string): ExhaustiveRequest {
  return {
    scenario,
    variant,
    workloadSeed: options.workloadSeed,
    ...(Object.keys(options.sizes).length === 0 ? {} : { sizes: options.sizes }),
    dropsMax: options.dropsMax,
    duplicates: options.duplicates || options.duplicatesMax !== undefined,
    duplicatesMax: options.duplicatesMax,
    depthMax: options.depthMax,
    statesMax: options.statesMax,
    executionsMax: options.executionsMax,
  };
}

type ExploreReport = ReturnType<typeof exploreJson>;

function exploreJson(result: ExhaustiveResult, options: ExploreOptions, scenario: Scenario<any>, wallSeconds: number) {
  const outcomes = result.outcomes.map((outcome) => {
    let replayFile: string | null = null;
    if (outcome.verdict === "diverges") {
      replayFile = exploredReplayPath(options.out, outcome.example);
      writeReplayFile(replayFile, replayOf(outcome.example, options.scenario, outcome.choices));
    }
    return {
      logical: outcome.logical,
      logicalHash: outcome.logicalHash,
      schedules: outcome.schedules,
      verdict: outcome.verdict,
      violations: outcome.violations,
      replayFile,
      replay: replayFile === null ? null : `dsim replay ${replayFile}`,
    };
  });
  const divergentOutcomes = outcomes.filter((outcome) => outcome.verdict === "diverges").length;
  const budget = result.budget;
  return {
    scenario: result.scenario,
    variant: result.variant,
    expect: findVariant(scenario, result.variant).expect,
    mode: "exhaustive",
    verdict: divergentOutcomes === 0 ? "holds" : "diverges",
    sizes: options.sizes,
    drops: budget.dropsMax === 0 ? "off" : budget.dropsMax === Infinity ? "unbounded" : budget.dropsMax,
    duplicates: budget.duplicatesMax === 0 ? "off" : budget.duplicatesMax === Infinity ? "unbounded" : budget.duplicatesMax,
    bounds: { maxDepth: options.depthMax, maxStates: options.statesMax, maxExecutions: options.executionsMax },
    complete: result.boundsHit.length === 0 && result.cycles === 0,
    boundsHit: result.boundsHit,
    cycles: result.cycles,
    schedules: result.schedules,
    truncatedSchedules: result.truncatedSchedules,
    distinctStates: result.distinctStates,
    distinctOutcomes: new Set(result.outcomes.map((outcome) => outcome.logicalHash)).size,
    divergentOutcomes,
    reference: { logical: result.reference.logical, logicalHash: result.reference.logicalHash },
    outcomes,
    executions: result.executions,
    wallSeconds: Math.round(wallSeconds * 1000) / 1000,
    schedulesPerSecond: wallSeconds > 0 ? Math.round(result.schedules / wallSeconds) : 0,
    executionsPerSecond: wallSeconds > 0 ? Math.round(result.executions / wallSeconds) : 0,
  };
}

function printExploration(io: Io, report: ExploreReport): void {
  const { color } = io;
  const verdict = report.verdict === "holds" ? color.green("holds") : color.red.bold("DIVERGES");
  const sizes = Object.entries(report.sizes).map(([name, value]) => `${name} ${value}, `).join("");
  io.out(`${report.scenario}/${report.variant} exhaustive (${sizes}drops ${report.drops}, duplicates ${report.duplicates}): ${verdict}`);
  io.out(`  ${report.schedules} schedules  ${report.distinctStates} states  ${report.distinctOutcomes} logical outcomes (${report.divergentOutcomes} diverge)  ${report.executions} executions  ${report.schedulesPerSecond} schedules/s`);
  if (!report.complete) {
    const cuts = [...report.boundsHit, ...(report.cycles > 0 ? [`${report.cycles} cycles`] : [])].join(", ");
    io.out(color.yellow(`  incomplete: cut short by ${cuts}; ${report.truncatedSchedules} schedules truncated, the counts are lower bounds`));
  }
  for (const outcome of report.outcomes.slice(0, OUTCOMES_SHOWN_MAX)) {
    const mark = outcome.verdict === "holds" ? color.green("holds") : color.red("diverges");
    io.out(`  ${String(outcome.schedules).padStart(9)} × ${canonicalJson(outcome.logical)}  ${mark}${outcome.replay === null ? "" : color.dim(`  ${outcome.replay}`)}`);
  }
  const hidden = report.outcomes.length - OUTCOMES_SHOWN_MAX;
  if (hidden > 0) io.out(color.dim(`  ... and ${hidden} more outcomes (--json lists them all)`));
}
