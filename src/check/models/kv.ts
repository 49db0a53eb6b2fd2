// The sequential specification of a key-value store, for the linearizability checker: get, put
// and append on string values, partitioned per key (operations on different keys commute).

import type { Model, Operation } from "../linearizability.ts";

export type KvInput =
  | { readonly op: "get"; readonly key: string }
  | { readonly op: "put"; readonly key: string; readonly value: string }
  | { readonly op: "append"; readonly key: string; readonly value: string };

/** A get's output is the value read (null: no such key); put and append output nothing (null). */
export type KvOutput = string | null;

export type KvOperation = Operation<KvInput, KvOutput>;

/** The state of one key: its value, or null when it was never written. */
type KeyState = string | null;

export const kvModel: Model<KeyState, KvInput, KvOutput> = {
  name: "kv",
  partition(operations) {
    const byKey = new Map<string, KvOperation[]>();
    for (const operation of operations) {
      let list = byKey.get(operation.input.key);
      if (list === undefined) byKey.set(operation.input.key, (list = []));
      list.push(operation);
    }
    return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
  },
  init: () => null,
  step(state, input, output) {
    switch (input.op) {
      case "get":
        return output === undefined || output === state ? state : undefined;
      case "put":
        return input.value;
      case "append":
        return (state ?? "") + input.value;
    }
  },
  stateKey: (state) => (state === null ? "\u0000" : state),
  describe(operation) {
    const { input, output, client, callMs, returnMs } = operation;
    const when = `[${callMs}, ${returnMs ?? "never returned"}]`;
    const shown = (value: KvOutput | undefined) => (value === undefined ? "?" : JSON.stringify(value));
    switch (input.op) {
      case "get":
        return `${client} get(${input.key}) → ${shown(output)} ${when}`;
      case "put":
        return `${client} put(${input.key}, ${JSON.stringify(input.value)}) ${when}`;
      case "append":
        return `${client} append(${input.key}, ${JSON.stringify(input.value)}) ${when}`;
    }
  },
};
