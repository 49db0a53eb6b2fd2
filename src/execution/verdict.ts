// The checker of one finished execution: projects it with π, judges the logical trace against the
// reference (equal to it, or admissible by the scenario's own relation), runs the scenario's
// invariants, and turns budgets and handler errors into violations. π's result must be JSON: one
// that is not (a Set, a cycle, NaN...) is a scenario error, never hashed (a Set would hash as `{}`
// and every execution would "hold"); so is an invariant that returns something else than nothing,
// messages or breaches.

import { describeDifference, diffJson } from "../core/diff.ts";
import { describeThrown, ScenarioError } from "../core/errors.ts";
import { hashJson } from "../core/hash.ts";
import { jsonProblemOf, type Json } from "../core/json.ts";
import type { Breach, ExecutionView, Scenario } from "../core/scenario.ts";
import type { Simulation } from "../kernel/simulation.ts";
import { isScenarioTrouble } from "./scenarioStep.ts";
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
  /** hashJson(logical), computed once (the verdict compares it with the reference's; the result reports it). */
  readonly logicalHash: string;
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
  simulation: Pick<Simulation, "handlerError" | "endReason" | "trace" | "timeMs" | "stepsRun">,
  view: ExecutionView<any>,
  reference: { readonly logical: Json; readonly logicalHash: string } | undefined,
): Checked {
  const violations: Violation[] = [];
  const error = simulation.handlerError;
  if (error !== undefined) violations.push({ invariant: "handler-error", message: `${error.node} threw at ${error.timeMs} ms: ${error.message}` });
  const reason = simulation.endReason;
  if (reason === "events-budget" || reason === "time-budget") {
    const what = reason === "events-budget" ? `${simulation.stepsRun} events` : `${simulation.timeMs} ms of virtual time`;
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
    if (isScenarioTrouble(thrown)) throw thrown;
    violations.push({ invariant: "projection-error", message: `π threw: ${describeThrown(thrown)}` });
  }
  const problem = projected ? jsonProblemOf(logical) : undefined;
  if (problem !== undefined) throw new ScenarioError(`π (project) returned a logical trace that is not JSON: ${problem.describe()}`);
  const logicalHash = hashJson(logical);
  const inadmissible = !projected ? "π threw" : reference === undefined ? undefined : judgeLogical(scenario, logical, reference, view.workload, logicalHash);
  if (inadmissible !== undefined && violations.length === 0) violations.push({ invariant: "logical-trace", message: inadmissible });
  for (const invariant of scenario.invariants ?? []) {
    let broken: unknown;
    try {
      broken = invariant.check(view);
    } catch (thrown) {
      if (isScenarioTrouble(thrown)) throw thrown;
      broken = `the check threw: ${describeThrown(thrown)}`;
    }
    if (broken === undefined) continue;
    const breaches: readonly unknown[] = Array.isArray(broken) ? broken : [broken];
    if (!breaches.every(isBreach)) {
      throw new ScenarioError(`invariant '${invariant.name}' must return undefined when it holds, else a message, a { message, traceIndex } or a list of them; it returned ${describeValue(broken)}`);
    }
    for (const breach of breaches) violations.push(violationOf(invariant.name, breach));
  }
  return { logical, logicalHash, admissible: inadmissible === undefined, violations, projectionUse: recording.use() };
}

/**
 * Why a logical trace is not admissible, or undefined when it is: equal to the reference, or (for a
 * scenario that declares `admissible`) accepted by it.
 */
export function judgeLogical(
  scenario: Scenario<any>,
  logical: Json,
  reference: { readonly logical: Json; readonly logicalHash: string },
  workload: unknown,
  logicalHash = hashJson(logical),
): string | undefined {
  if (logicalHash === reference.logicalHash) return undefined;
  const admissible = scenario.admissible;
  if (admissible === undefined) return `differs from the reference: ${diffJson(reference.logical, logical).map(describeDifference).join("; ")}`;
  let reason: unknown;
  try {
    reason = admissible(logical, reference.logical, workload);
  } catch (thrown) {
    if (isScenarioTrouble(thrown)) throw thrown;
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

function isBreach(value: unknown): value is string | Breach {
  if (typeof value === "string") return true;
  if (value === null || typeof value !== "object") return false;
  const { message, traceIndex } = value as Record<string, unknown>;
  return typeof message === "string" && (traceIndex === undefined || Number.isInteger(traceIndex));
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list holding something other than messages";
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}
