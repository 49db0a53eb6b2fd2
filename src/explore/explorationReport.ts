// What `dsim explore` reports of an exhaustive search: the counts, every logical outcome with how
// many schedules reach it, and for each divergent outcome a replay file carrying its schedule.
// Plain JSON: the console and JSON reporters show it, the replay files reproduce it.

import type { Scenario } from "../core/scenario.ts";
import { exploredReplayPath, replayOf, writeReplayFile } from "../execution/replayFile.ts";
import { resolveSizes } from "../execution/sizes.ts";
import { findVariant } from "../execution/spec.ts";
import type { ExhaustiveRequest, ExhaustiveResult } from "./exhaustive.ts";

export type ExplorationReport = ReturnType<typeof explorationReport>;

/** The report of one variant's search; writes a replay file per divergent outcome under `out`. */
export function explorationReport(result: ExhaustiveResult, request: ExhaustiveRequest, source: string, out: string, wallSeconds: number) {
  const scenario: Scenario<any> = request.scenario;
  const outcomes = result.outcomes.map((outcome) => {
    let replayFile: string | null = null;
    if (outcome.verdict === "diverges") {
      replayFile = exploredReplayPath(out, outcome.example);
      writeReplayFile(replayFile, replayOf(outcome.example, source, outcome.schedule));
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
  const bound = (max: number) => (max === 0 ? "off" : max === Infinity ? "unbounded" : max);
  return {
    scenario: result.scenario,
    variant: result.variant,
    expect: findVariant(scenario, result.variant).expect,
    mode: "exhaustive",
    verdict: divergentOutcomes === 0 ? "holds" : "diverges",
    sizes: resolveSizes(scenario, request.sizes),
    drops: bound(budget.dropsMax),
    duplicates: bound(budget.duplicatesMax),
    bounds: { maxDepth: request.depthMax, maxStates: request.statesMax, maxExecutions: request.executionsMax },
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
