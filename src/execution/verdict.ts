// The checker of one finished execution: projects it with π, compares the logical trace with the
// reference, runs the scenario's invariants, and turns budgets and handler errors into violations.

import { describeDifference, diffJson } from "../core/diff.ts";
import { describeThrown, NondeterminismError } from "../core/errors.ts";
import { hashJson } from "../core/hash.ts";
import type { Json } from "../core/json.ts";
import type { ExecutionView, Scenario } from "../core/scenario.ts";
import type { Simulation } from "../kernel/simulation.ts";
import { recordingView, type ProjectionUse } from "./view.ts";

export interface Violation {
  /** The broken invariant's name, or one of the kernel's: logical-trace, handler-error, budget, projection-error. */
  readonly invariant: string;
  readonly message: string;
}

export interface Checked {
  readonly logical: Json;
  readonly violations: Violation[];
  /** What π read to make the logical trace. */
  readonly projectionUse: ProjectionUse;
}

export function checkExecution(
  scenario: Scenario<any>,
  simulation: Pick<Simulation, "handlerError" | "endReason" | "trace" | "timeMs" | "stepsRun">,
  view: ExecutionView<any>,
  reference: { readonly logical: Json; readonly logicalHash: string } | undefined,
): Checked {
  const violations: Violation[] = [];
  const error = simulation.handlerError;
  if (error !== undefined) {
    const invariant = error.thrown instanceof NondeterminismError ? "determinism" : "handler-error";
    violations.push({ invariant, message: `${error.node} threw at ${error.timeMs} ms: ${error.message}` });
  }
  const reason = simulation.endReason;
  if (reason === "events-budget" || reason === "time-budget") {
    const what = reason === "events-budget" ? `${simulation.stepsRun} events` : `${simulation.timeMs} ms of virtual time`;
    const goal = scenario.settled === undefined ? "quiescence" : "its settled state";
    violations.push({ invariant: "budget", message: `the execution did not reach ${goal} within ${what}` });
  }
  let logical: Json = null;
  const recording = recordingView(view);
  try {
    logical = scenario.project(recording.view);
  } catch (thrown) {
    violations.push({ invariant: "projection-error", message: `π threw: ${describeThrown(thrown)}` });
  }
  if (reference !== undefined && violations.length === 0 && hashJson(logical) !== reference.logicalHash) {
    const differences = diffJson(reference.logical, logical).map(describeDifference);
    violations.push({ invariant: "logical-trace", message: `differs from the reference: ${differences.join("; ")}` });
  }
  for (const invariant of scenario.invariants ?? []) {
    let broken: string | readonly string[] | undefined;
    try {
      broken = invariant.check(view);
    } catch (thrown) {
      broken = `the check threw: ${describeThrown(thrown)}`;
    }
    if (broken === undefined) continue;
    for (const message of typeof broken === "string" ? [broken] : broken) violations.push({ invariant: invariant.name, message });
  }
  return { logical, violations, projectionUse: recording.use() };
}
