// Explaining a linearizability violation: a 1-minimal set of operations of the failing partition
// that cannot be linearized, found by relaxing operations. A relaxed operation keeps its call but
// loses its result and return (it may take effect at any time after its call, or not at all). The
// answer is the set left constrained: relaxing any one of them makes the history linearizable.
// (Removing instead of relaxing would report "a read of a value never written" for every stale read.)
//
// Each candidate is a full search, so the minimization is bounded by a step budget over all its
// searches; when the budget runs out it returns the set it has (which still cannot be linearized)
// marked cut short. A candidate whose search runs out of memory is kept constrained (it cannot be
// shown to fail) and the minimization goes on, but the set is then marked cut short too.

import type { Model, Operation } from "./sequentialModel.ts";
import { MemoryBudget } from "./configurationCache.ts";
import { WglSearch } from "./wglSearch.ts";

export interface ExplainLimits {
  /** Search steps over every candidate checked. */
  readonly stepsMax: number;
  /** Bytes the memo of one candidate's search may hold. */
  readonly memoryBytesMax: number;
}

export interface Explanation<Input, Output> {
  /** The operations left constrained, in call order. */
  readonly operations: readonly Operation<Input, Output>[];
  /** Which limit cut the minimization short, if one did: the set cannot be linearized but may not be minimal. */
  readonly cutShortBy: "steps" | "memory" | undefined;
  readonly steps: number;
}

export function explainViolation<State, Input, Output>(
  partition: readonly Operation<Input, Output>[],
  model: Model<State, Input, Output>,
  limits: ExplainLimits,
): Explanation<Input, Output> {
  const history = [...partition].sort((a, b) => a.callMs - b.callMs);
  const relaxed = new Array<boolean>(history.length).fill(false);
  let steps = 0;
  let stepsOut = false;
  let memoryOut = false;
  /** Whether steps are left; asked only when there is more to try, so a "no" means cut short. */
  const budgetLeft = (): boolean => {
    if (steps >= limits.stepsMax) stepsOut = true;
    return !stepsOut;
  };
  /** Whether the history still cannot be linearized with `indices` relaxed too. */
  const stillFails = (indices: readonly number[]): boolean => {
    if (!budgetLeft()) return false;
    const candidate = candidateHistory(history, relaxed, new Set(indices));
    const search = new WglSearch(candidate, model, new MemoryBudget(limits.memoryBytesMax));
    const status = search.run(limits.stepsMax - steps);
    steps += search.steps;
    search.release();
    if (status === "running") stepsOut = true;
    if (status === "out-of-memory") memoryOut = true;
    return status === "not-linearizable";
  };
  const constrained = () => history.flatMap((_operation, index) => (relaxed[index] ? [] : [index]));

  // First the operations called last, by bisection on how many of them to relax at once.
  let low = 1;
  let high = history.length;
  while (low < high && budgetLeft()) {
    const middle = (low + high) >>> 1;
    if (stillFails(constrained().slice(middle))) high = middle;
    else low = middle + 1;
  }
  if (high < history.length && stillFails(constrained().slice(high))) for (let index = high; index < history.length; index++) relaxed[index] = true;
  // Then chunks of the rest, down to single operations, until no single one can be relaxed.
  for (let chunk = Math.floor(high / 2); chunk >= 1 && budgetLeft(); chunk = Math.floor(chunk / 2)) {
    for (let changed = true; changed && budgetLeft(); ) {
      changed = false;
      const left = constrained();
      for (let start = left.length - chunk; start >= 0 && budgetLeft(); start -= chunk) {
        const indices = left.slice(start, start + chunk).filter((index) => !relaxed[index]);
        if (indices.length === 0 || !stillFails(indices)) continue;
        for (const index of indices) relaxed[index] = true;
        changed = chunk === 1;
      }
    }
  }
  const cutShortBy = stepsOut ? "steps" : memoryOut ? "memory" : undefined;
  return { operations: constrained().map((index) => history[index]!), cutShortBy, steps };
}

/**
 * The history with the relaxed operations (already relaxed, or relaxed now) stripped of result and
 * return. A relaxed operation called after the last constrained return is left out: it could only
 * be linearized after every constrained operation, where it cannot help.
 */
function candidateHistory<Input, Output>(history: readonly Operation<Input, Output>[], relaxed: readonly boolean[], relaxing: ReadonlySet<number>): Operation<Input, Output>[] {
  const isRelaxed = (index: number) => relaxed[index] === true || relaxing.has(index);
  let lastReturnMs = -Infinity;
  history.forEach((operation, index) => {
    if (!isRelaxed(index) && operation.returnMs !== undefined && operation.returnMs > lastReturnMs) lastReturnMs = operation.returnMs;
  });
  const candidate: Operation<Input, Output>[] = [];
  history.forEach((operation, index) => {
    if (!isRelaxed(index)) candidate.push(operation);
    else if (operation.callMs <= lastReturnMs) candidate.push({ client: operation.client, input: operation.input, callMs: operation.callMs });
  });
  return candidate;
}
