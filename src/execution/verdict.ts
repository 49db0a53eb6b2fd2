// The checker of one finished execution: projects it with π, judges the logical trace against the
// reference (equal to it, or admissible by the scenario's own relation), runs the scenario's
// invariants, and turns budgets and handler errors into violations.

import { describeDifference, diffJson } from "../core/diff.ts";
import { describeThrown, NondeterminismError, ScenarioError } from "../core/errors.ts";
import { hashJson } from "../core/hash.ts";
import type { Json } from "../core/json.ts";
import type { Breach, ExecutionView, Scenario } from "../core/scenario.ts";
import type { Simulation } from "../kernel/simulation.ts";
import { recordingView, type ProjectionUse } from "./view.ts";

export interface Violation {
  /** The broken invariant's name, or one of the kernel's: logical-trace, handler-error, budget, projection-error. */
  readonly invariant: string;
  readonly message: string;
  /** The physical trace event at which it broke, when the check said so. */
  readonly traceIndex?: number;
}

export interface Checked {
  readonly logical: Json;
  /**
   * Whether the logical trace is admissible: equal to the reference, or accepted by the scenario's
   * `admissible`. Judged even when an earlier violation (a handler error, a budget) keeps it from
   * being reported, so a sweep can count admissible and inadmissible traces; false when π threw.
   */
  readonly admissible: boolean;
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
  if (error !== undefined) {
    const invariant = error.thrown instanceof NondeterminismError ? "determinism" : "handler-error";
    violations.push({ invariant, message: `${error.node} threw at ${error.timeMs} ms: ${error.message}` });
  }
  const reason = simulation.endReason;
  if (reason === "events-budget" || reason === "time-budget") {
    const what = reason === "events-budget" ? `${simulation.trace.length} events` : `${simulation.timeMs} ms of virtual time`;
    const goal = scenario.settled === undefined ? "quiescence" : "its settled state";
    violations.push({ invariant: "budget", message: `the execution did not reach ${goal} within ${what}` });
  }
  let logical: Json = null;
  let projected = false;
  const recording = recordingView(view);
  try {
    logical = scenario.project(recording.view);
    projected = true;
  } catch (thrown) {
    violations.push({ invariant: "projection-error", message: `π threw: ${describeThrown(thrown)}` });
  }
  const inadmissible = !projected ? "π threw" : reference === undefined ? undefined : judgeLogical(scenario, logical, reference, view.workload);
  if (inadmissible !== undefined && violations.length === 0) violations.push({ invariant: "logical-trace", message: inadmissible });
  for (const invariant of scenario.invariants ?? []) {
    let broken: ReturnType<typeof invariant.check>;
    try {
      broken = invariant.check(view);
    } catch (thrown) {
      broken = `the check threw: ${describeThrown(thrown)}`;
    }
    if (broken === undefined) continue;
    for (const breach of Array.isArray(broken) ? broken : [broken]) violations.push(violationOf(invariant.name, breach));
  }
  return { logical, admissible: inadmissible === undefined, violations, projectionUse: recording.use() };
}

/**
 * Why a logical trace is not admissible, or undefined when it is: equal to the reference, or (for a
 * scenario that declares `admissible`) accepted by it.
 */
export function judgeLogical(scenario: Scenario<any>, logical: Json, reference: { readonly logical: Json; readonly logicalHash: string }, workload: unknown): string | undefined {
  if (hashJson(logical) === reference.logicalHash) return undefined;
  const admissible = scenario.admissible;
  if (admissible === undefined) return `differs from the reference: ${diffJson(reference.logical, logical).map(describeDifference).join("; ")}`;
  let reason: unknown;
  try {
    reason = admissible(logical, reference.logical, workload);
  } catch (thrown) {
    return `admissible() threw: ${describeThrown(thrown)}`;
  }
  if (reason === null || reason === undefined) return undefined;
  if (typeof reason !== "string") {
    throw new ScenarioError(`${scenario.name}: admissible() returned ${JSON.stringify(reason) ?? String(reason)}; return null when the logical trace is admissible, else the reason it is not`);
  }
  return `not admissible: ${reason}`;
}

function violationOf(invariant: string, breach: string | Breach): Violation {
  if (typeof breach === "string") return { invariant, message: breach };
  return breach.traceIndex === undefined ? { invariant, message: breach.message } : { invariant, message: breach.message, traceIndex: breach.traceIndex };
}
