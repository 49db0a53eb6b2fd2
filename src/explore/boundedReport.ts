// What `dsim explore --max-faults K` reports of a bounded search: the fewest faults that break the
// variant (or how far it searched without finding any), the levels it searched, and the
// counterexample written as a replay file carrying its schedule. Plain JSON: the console and JSON
// reporters show it, the replay file reproduces it.

import type { Scenario } from "../core/scenario.ts";
import { boundedReplayPath, replayOf, writeReplayFile } from "../execution/replayFile.ts";
import { resolveSizes } from "../execution/sizes.ts";
import { findVariant } from "../execution/spec.ts";
import { DEFAULT_BOUNDED_FAULTS, type BoundedRequest, type BoundedResult } from "./bounded.ts";
import { faultLines } from "./faultList.ts";
import { resolveFaults } from "../world/faults.ts";

export type BoundedReport = ReturnType<typeof boundedReport>;

/**
 * The report of one variant's bounded search; writes its counterexample's replay file under `out`.
 * Verdict: `diverges` (a counterexample, with the fewest faults), `holds` (every schedule up to
 * faultsMax searched, none breaks it), or `unknown` (a bound cut the search short first).
 */
export function boundedReport(result: BoundedResult, request: BoundedRequest, source: string, out: string, wallSeconds: number) {
  const scenario: Scenario<any> = request.scenario;
  const found = result.counterexample;
  let counterexample = null;
  if (found !== null) {
    const replayFile = boundedReplayPath(out, scenario.name, request.variant, request.seed);
    writeReplayFile(replayFile, replayOf(found.result, source, found.tape));
    counterexample = {
      faults: faultLines(found.tape, found.result).map((line) => line.text),
      violations: found.result.violations,
      events: found.result.events,
      replayFile,
      replay: `dsim replay ${replayFile}`,
    };
  }
  const profile = resolveFaults(request.faults ?? DEFAULT_BOUNDED_FAULTS, request.seed);
  return {
    scenario: scenario.name,
    variant: request.variant,
    expect: findVariant(scenario, request.variant).expect,
    mode: "bounded",
    verdict: found !== null ? "diverges" : result.complete ? "holds" : "unknown",
    seed: request.seed,
    faults: profile.name,
    sizes: resolveSizes(scenario, request.sizes),
    invariant: request.invariant ?? null,
    faultsMax: request.faultsMax,
    /** The fewest faults that break it: exact when a counterexample was found (the levels below were searched whole). */
    minimumFaults: found?.faults ?? null,
    /** No schedule with fewer faults breaks it. */
    faultsLowerBound: result.faultsLowerBound,
    complete: result.complete,
    levels: result.levels,
    executions: result.executions,
    budgetReached: result.budgetReached,
    counterexample,
    wallSeconds: Math.round(wallSeconds * 1000) / 1000,
    executionsPerSecond: wallSeconds > 0 ? Math.round(result.executions / wallSeconds) : 0,
  };
}
