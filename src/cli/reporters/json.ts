// The JSON reporter (--json): exactly one JSON document on stdout per command, with the fields
// DESIGN.md fixes (scenario, variant, seed, faults, hashes, events, verdict, violations, replay...).

import type { ExecutionResult } from "../../execution/execute.ts";
import type { Reporter, ReporterOptions } from "./types.ts";

/** An execution as `run --json` and `replay --json` print it. */
export function executionJson(result: ExecutionResult, faults: string) {
  return {
    scenario: result.scenario,
    variant: result.variant,
    seed: result.seed,
    workloadSeed: result.workloadSeed,
    sizes: result.sizes,
    faults,
    faultProfile: result.faults,
    physicalHash: result.physicalHash,
    logicalHash: result.logicalHash,
    logical: result.logical,
    admissible: result.admissible,
    events: result.events,
    endReason: result.endReason,
    endedAtMs: result.endedAtMs,
    verdict: result.verdict,
    violations: result.violations,
  };
}

export function jsonReporter({ io }: ReporterOptions): Reporter {
  const print = (document: unknown) => io.out(JSON.stringify(document, null, 2));
  return {
    execution({ result, faults, replay, replayFile, trace, check, page }) {
      const replayCheck = check === undefined ? {} : {
        matches: check.changes.length === 0,
        changes: check.changes,
        expected: check.replayFile.expected,
        recordedWith: check.replayFile.dsimVersion,
      };
      print({ ...executionJson(result, faults), replay, replayFile, ...replayCheck, ...(page === undefined ? {} : { page: page.path }), ...(trace ? { trace: result.trace } : {}) });
    },
    shrink({ report, result, trace }) {
      print({ ...report, violations: result.shrunk.result.violations, ...(trace ? { trace: result.shrunk.result.trace } : {}) });
    },
    explorationEnd: print,
    sweepEnd: ({ document }) => print(document),
  };
}
