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
    shrink({ report, shrunk, trace }) {
      print({ ...report, violations: shrunk.violations, ...(trace ? { trace: shrunk.trace } : {}) });
    },
    lost({ scenario, variant, seed, faults, lost, replay, replayFile, check }) {
      const replayCheck = check === undefined ? {} : { matches: check.changes.length === 0, changes: check.changes, expected: { verdict: check.expected } };
      print({ scenario, variant, seed, faults, verdict: lost.verdict, violations: [{ invariant: lost.verdict, message: lost.message }], replay, replayFile, ...replayCheck });
    },
    explorationEnd: print,
    // As summary.json holds it: a sweep's summary says it is complete (a partial one is only ever a file).
    sweepEnd: ({ document }) => print({ ...document, complete: true }),
  };
}
