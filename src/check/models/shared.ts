// What the built-in models share: partitioning per key (keys in sorted order, so the partitions,
// and so the checker's steps, do not depend on the order of the history) and the time interval
// shown in each operation's description.

import type { Operation } from "../sequentialModel.ts";

export function partitionByKey<Input, Output>(operations: readonly Operation<Input, Output>[], keyOf: (input: Input) => string): Operation<Input, Output>[][] {
  const byKey = new Map<string, Operation<Input, Output>[]>();
  for (const operation of operations) {
    const key = keyOf(operation.input);
    let list = byKey.get(key);
    if (list === undefined) byKey.set(key, (list = []));
    list.push(operation);
  }
  return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
}

/** `[call, return]`, or `[call, never returned]`. */
export function operationTimes(operation: Operation<unknown, unknown>): string {
  return `[${operation.callMs}, ${operation.returnMs ?? "never returned"}]`;
}
