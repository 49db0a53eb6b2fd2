// Calling the scenario's own code outside a handler (workload(), nodes(), settled()) and checking
// what it returns. What goes wrong there is the scenario's mistake, never a verdict on the protocol
// and never "a bug in dsim": a ScenarioError that names the step and the user's line. A
// NondeterminismError (the guard) passes through as it is.

import { didYouMean } from "../core/didYouMean.ts";
import { describeThrown, NondeterminismError, ScenarioError } from "../core/errors.ts";
import { frozenJsonCopy, JsonProblem, type Json, type NodeId } from "../core/json.ts";
import { ROLE_NAMES, type NodeSpec, type Roles } from "../core/scenario.ts";
import { atScenarioFrame } from "../core/scenarioFrame.ts";

/** The scenario's own trouble: what a sweep reports as the variant's scenario error. */
export function isScenarioTrouble(thrown: unknown): thrown is ScenarioError | NondeterminismError {
  return thrown instanceof ScenarioError || thrown instanceof NondeterminismError;
}

/** Runs a step of the scenario's code; what it throws becomes a scenario error naming the step. */
export function scenarioStep<T>(step: string, body: () => T): T {
  try {
    return body();
  } catch (thrown) {
    if (isScenarioTrouble(thrown)) throw thrown;
    throw new ScenarioError(`${step} threw ${describeThrown(thrown)}${atScenarioFrame(thrown)}`);
  }
}

/** Runs an execution; the scenario's trouble in it is prefixed with where it happened (`where()`). */
export function inExecution<T>(where: () => string, body: () => T): T {
  try {
    return body();
  } catch (thrown) {
    if (isScenarioTrouble(thrown)) thrown.message = `${where()}: ${thrown.message}`;
    throw thrown;
  }
}

/** The workload's frozen JSON copy: the nodes share it, so none can change what another reads. */
export function checkedWorkload(workload: unknown): Json {
  const copy = frozenJsonCopy(workload);
  if (copy instanceof JsonProblem) throw new ScenarioError(`workload() returned a value that is not JSON: ${copy.describe()}`);
  return copy;
}

/** Every field of a node spec, so that a misspelled handler (`messages:`) is not silently ignored. */
const NODE_SPEC_FIELDS: Readonly<Record<keyof NodeSpec, true>> = { init: true, start: true, recover: true, message: true, timer: true };
const NODE_SPEC_NAMES = Object.keys(NODE_SPEC_FIELDS);

/** What nodes() returned, checked: at least one node, each a node spec with an `init` function. */
export function checkedNodes(nodes: unknown): Record<NodeId, NodeSpec<unknown>> {
  if (nodes === null || typeof nodes !== "object" || Array.isArray(nodes)) throw new ScenarioError(`nodes() must return an object of node specs by id, got ${nodes === null ? "null" : Array.isArray(nodes) ? "an array" : typeof nodes}`);
  const ids = Object.keys(nodes);
  if (ids.length === 0) throw new ScenarioError("nodes() returned no nodes: an execution needs at least one");
  for (const id of ids) {
    const spec = (nodes as Record<string, unknown>)[id];
    if (spec === null || typeof spec !== "object") throw new ScenarioError(`node '${id}' is not a node spec (defineNode({ init, ... })), got ${spec === null ? "null" : typeof spec}`);
    const fields = spec as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      if (!(key in NODE_SPEC_FIELDS)) throw new ScenarioError(`node '${id}' has an unknown field '${key}'${didYouMean(key, NODE_SPEC_NAMES)}; a node spec has ${NODE_SPEC_NAMES.join(", ")}`);
      if (fields[key] !== undefined && typeof fields[key] !== "function") throw new ScenarioError(`node '${id}': '${key}' must be a function, got ${typeof fields[key]}`);
    }
    if (typeof fields.init !== "function") throw new ScenarioError(`node '${id}' has no 'init' function`);
  }
  return nodes as Record<NodeId, NodeSpec<unknown>>;
}

/** What roles() returned, checked: an object of the known roles, each a list of the execution's nodes. */
export function checkedRoles(roles: unknown, nodeIds: readonly NodeId[]): Roles {
  if (roles === null || typeof roles !== "object" || Array.isArray(roles)) throw new ScenarioError(`roles() must return an object of node lists by role (${ROLE_NAMES.join(", ")}), got ${roles === null ? "null" : Array.isArray(roles) ? "an array" : typeof roles}`);
  for (const [role, nodes] of Object.entries(roles)) {
    if (!(ROLE_NAMES as readonly string[]).includes(role)) throw new ScenarioError(`roles() returned an unknown role '${role}'${didYouMean(role, ROLE_NAMES)} (the roles: ${ROLE_NAMES.join(", ")})`);
    if (nodes === undefined) continue;
    if (!Array.isArray(nodes)) throw new ScenarioError(`roles(): '${role}' must be a list of node ids, got ${nodes === null ? "null" : typeof nodes}`);
    const stranger = nodes.find((node) => !nodeIds.includes(node as NodeId));
    if (stranger !== undefined) throw new ScenarioError(`roles(): '${role}' names ${JSON.stringify(stranger)}, not a node of this execution`);
  }
  return roles as Roles;
}
