// The sequential specification of a key-value store, for the linearizability checker: get, put
// and append on string values, partitioned per key (operations on different keys commute). A key
// never written reads as `initial`: null by default; Porcupine's kv histories read it as "".

import type { Model, Operation } from "../sequentialModel.ts";
import { operationTimes, partitionByKey } from "./shared.ts";

export type KvInput =
  | { readonly op: "get"; readonly key: string }
  | { readonly op: "put"; readonly key: string; readonly value: string }
  | { readonly op: "append"; readonly key: string; readonly value: string };

/** A get's output is the value read (null: no such key); put and append output nothing (null). */
export type KvOutput = string | null;

export type KvOperation = Operation<KvInput, KvOutput>;

/** The state of one key: its value, or null when it was never written. */
type KeyState = string | null;

export interface KvModelOptions {
  /** What a key never written reads as (default null). */
  readonly initial?: string | null;
}

export function createKvModel(options: KvModelOptions = {}): Model<KeyState, KvInput, KvOutput> {
  const initial = options.initial ?? null;
  return {
    name: "kv",
    partition: (operations) => partitionByKey(operations, (input) => input.key),
    init: () => initial,
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
    describe(operation) {
      const { input, output, client } = operation;
      const when = operationTimes(operation);
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
    validate(operation) {
      const input = operation.input as unknown as Record<string, unknown>;
      if (typeof input.key !== "string") return "'key' must be a string";
      if (input.op === "put" || input.op === "append") return typeof input.value === "string" ? undefined : `'${input.op}' needs a string 'value'`;
      if (input.op !== "get") return `'op' must be "get", "put" or "append" for the kv model`;
      const output = operation.output as unknown;
      if (operation.returnMs !== undefined && output !== null && typeof output !== "string") return "a completed get needs 'output': a string, or null for a missing key";
      return undefined;
    },
  };
}

export const kvModel = createKvModel();
