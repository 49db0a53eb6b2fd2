// Linearizability checking of a client-observed history against a sequential model: the Wing–Gong
// search with Lowe's memo of (linearized set, state), over each partition of the history (per key,
// for a key-value store), as Porcupine does for Go. The search itself is in wglSearch.ts; the
// minimization of a violation in explainViolation.ts.
//
// An operation is a call and a return in time. An operation that never returned (it timed out and
// may or may not have happened) has `returnMs: undefined`: it may be linearized anywhere after its
// call, or not at all. A check is bounded by a step budget and a memory budget; when either runs
// out the verdict is "unknown", with the reason, never a pass.

import { MemoryBudget } from "./configurationCache.ts";
import { explainViolation } from "./explainViolation.ts";
import { ModelError } from "./modelError.ts";
import type { Model, Operation } from "./sequentialModel.ts";
import { WglSearch } from "./wglSearch.ts";

export type { Model, Operation } from "./sequentialModel.ts";

export interface LinearizabilityLimits {
  /** Search steps (entries looked at), over all partitions, before the answer is "unknown". */
  readonly stepsMax: number;
  /** Bytes the memo (visited configurations and model states) may hold before the answer is "unknown". */
  readonly memoryBytesMax: number;
  /** Whether a violation is minimized to a 1-minimal set of operations (else the failing partition is reported whole). */
  readonly explain: boolean;
  /** Search steps the minimization may spend over all its checks; past it, it reports what it has, marked cut short. */
  readonly explainStepsMax: number;
}

export const DEFAULT_LINEARIZABILITY_LIMITS: LinearizabilityLimits = {
  stepsMax: 100_000_000,
  memoryBytesMax: 512 * 1024 * 1024,
  explain: true,
  explainStepsMax: 2_000_000,
};

/** How a reported violation was explained: a 1-minimal set, a set the minimization had no budget to finish, or not minimized. */
export type Explained = "minimal" | "cut-short" | "off";

interface CheckFacts {
  /** Partitions of the history (keys, for a key-value model). */
  readonly partitions: number;
  /** Search steps spent deciding (the minimization's are counted apart). */
  readonly steps: number;
  /** Peak bytes held by the memo. */
  readonly memoryBytesPeak: number;
}

export type LinearizabilityResult<Input, Output> =
  | ({ readonly verdict: "linearizable" } & CheckFacts)
  | ({
      readonly verdict: "not-linearizable";
      /** Operations of one partition that cannot be linearized (1-minimal when `explained` is "minimal"). */
      readonly operations: readonly Operation<Input, Output>[];
      readonly explanation: string;
      readonly explained: Explained;
      readonly explainSteps: number;
    } & CheckFacts)
  | ({ readonly verdict: "unknown"; readonly limit: "steps" | "memory"; readonly reason: string } & CheckFacts);

/** Steps one partition searches before the next takes its turn, so the first to fail ends the check. */
const STEPS_PER_TURN = 1 << 14;

export function checkLinearizability<State, Input, Output>(
  history: readonly Operation<Input, Output>[],
  model: Model<State, Input, Output>,
  limits: Partial<LinearizabilityLimits> = {},
): LinearizabilityResult<Input, Output> {
  const bounds = { ...DEFAULT_LINEARIZABILITY_LIMITS, ...limits };
  const partitions = partitionsOf(history, model);
  const budget = new MemoryBudget(bounds.memoryBytesMax);
  const searches = partitions.map((partition) => new WglSearch(partition, model, budget));
  let steps = 0;
  const facts = (): CheckFacts => ({ partitions: partitions.length, steps, memoryBytesPeak: budget.peakBytes });
  let outOfMemory: { readonly operations: number; readonly visited: number } | undefined;
  // A partition whose initial state did not fit the budget never runs; it is undecided, not a pass.
  for (const search of searches) if (search.status === "out-of-memory") outOfMemory ??= { operations: search.operations.length, visited: search.visited };
  let running = searches.filter((search) => search.status === "running");
  while (running.length > 0) {
    for (const search of running) {
      const stepsLeft = bounds.stepsMax - steps;
      if (stepsLeft <= 0) {
        const reason = `the search passed its limit of ${bounds.stepsMax} steps (${running.length} of ${partitions.length} partitions undecided)`;
        searches.forEach((each) => each.release());
        return { verdict: "unknown", limit: "steps", reason, ...facts() };
      }
      const stepsBefore = search.steps;
      const status = search.run(Math.min(STEPS_PER_TURN, stepsLeft));
      steps += search.steps - stepsBefore;
      if (status === "running") continue;
      if (status === "out-of-memory") outOfMemory ??= { operations: search.operations.length, visited: search.visited };
      search.release();
      if (status !== "not-linearizable") continue;
      searches.forEach((each) => each.release());
      const decided = facts();
      if (!bounds.explain) {
        const explanation = `no order of the ${search.operations.length} operations of this partition consistent with real time is a legal ${model.name} history`;
        return { verdict: "not-linearizable", operations: search.operations, explanation, explained: "off", explainSteps: 0, ...decided };
      }
      const explained = explainViolation(search.operations, model, { stepsMax: bounds.explainStepsMax, memoryBytesMax: bounds.memoryBytesMax });
      const cutShort =
        explained.cutShortBy === undefined ? "" : `; the minimization was cut short by its ${explained.cutShortBy === "steps" ? "step" : "memory"} limit, so the set may not be minimal`;
      const explanation = `no order of these ${explained.operations.length} operations consistent with real time is a legal ${model.name} history (whatever the other operations did${cutShort})`;
      return {
        verdict: "not-linearizable",
        operations: explained.operations,
        explanation,
        explained: explained.cutShortBy === undefined ? "minimal" : "cut-short",
        explainSteps: explained.steps,
        ...decided,
      };
    }
    running = running.filter((search) => search.status === "running");
  }
  if (outOfMemory === undefined) return { verdict: "linearizable", ...facts() };
  const megabytes = Math.round(bounds.memoryBytesMax / (1024 * 1024));
  const reason = `the search of a partition of ${outOfMemory.operations} operations passed its memory limit of ${megabytes} MiB after ${outOfMemory.visited} configurations`;
  return { verdict: "unknown", limit: "memory", reason, ...facts() };
}

function partitionsOf<State, Input, Output>(history: readonly Operation<Input, Output>[], model: Model<State, Input, Output>): readonly (readonly Operation<Input, Output>[])[] {
  if (model.partition === undefined) return [history];
  try {
    return model.partition(history);
  } catch (error) {
    throw new ModelError(`model '${model.name}': partition threw: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`);
  }
}
