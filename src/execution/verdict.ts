// The checker of one finished execution: projects it with π, compares the logical trace with the
// reference, runs the scenario's invariants, and turns budgets and handler errors into violations.
// π's result must be JSON: one that is not (a Set, a cycle, NaN...) is a scenario error, never
// hashed (a Set would hash as `{}` and every execution would "hold").

import { describeDifference, diffJson } from "../core/diff.ts";
import { describeThrown, ScenarioError } from "../core/errors.ts";
import { hashJson } from "../core/hash.ts";
import { jsonProblemOf, type Json } from "../core/json.ts";
import type { ExecutionView, Scenario } from "../core/scenario.ts";
import type { Simulation } from "../kernel/simulation.ts";
import { isScenarioTrouble } from "./scenarioStep.ts";
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
  simulation: Pick<Simulation, "handlerError" | "endReason" | "trace" | "timeMs">,
  view: ExecutionView<any>,
  reference: { readonly logical: Json; readonly logicalHash: string } | undefined,
): Checked {
  const violations: Violation[] = [];
  const error = simulation.handlerError;
  if (error !== undefined) violations.push({ invariant: "handler-error", message: `${error.node} threw at ${error.timeMs} ms: ${error.message}` });
  const reason = simulation.endReason;
  if (reason === "events-budget" || reason === "time-budget") {
    const what = reason === "events-budget" ? `${simulation.trace.length} events` : `${simulation.timeMs} ms of virtual time`;
    const goal = scenario.settled === undefined ? "quiescence" : "its settled state";
    violations.push({ invariant: "budget", message: `the execution did not reach ${goal} within ${what}` });
  }
  let logical: Json = null;
  const recording = recordingView(view);
  try {
    logical = scenario.project(recording.view);
  } catch (thrown) {
    if (isScenarioTrouble(thrown)) throw thrown;
    violations.push({ invariant: "projection-error", message: `π threw: ${describeThrown(thrown)}` });
  }
  const problem = jsonProblemOf(logical);
  if (problem !== undefined) throw new ScenarioError(`π (project) returned a logical trace that is not JSON: ${problem.describe()}`);
  if (reference !== undefined && violations.length === 0 && hashJson(logical) !== reference.logicalHash) {
    const differences = diffJson(reference.logical, logical).map(describeDifference);
    violations.push({ invariant: "logical-trace", message: `differs from the reference: ${differences.join("; ")}` });
  }
  for (const invariant of scenario.invariants ?? []) {
    let broken: unknown;
    try {
      broken = invariant.check(view);
    } catch (thrown) {
      if (isScenarioTrouble(thrown)) throw thrown;
      broken = `the check threw: ${describeThrown(thrown)}`;
    }
    if (broken === undefined) continue;
    const messages = typeof broken === "string" ? [broken] : broken;
    if (!Array.isArray(messages) || !messages.every((message) => typeof message === "string")) {
      throw new ScenarioError(`invariant '${invariant.name}' must return undefined when it holds, else a message or a list of messages; it returned ${describeValue(broken)}`);
    }
    for (const message of messages) violations.push({ invariant: invariant.name, message });
  }
  return { logical, violations, projectionUse: recording.use() };
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list holding something other than strings";
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}
