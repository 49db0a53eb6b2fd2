// The sequential specification of a register with compare-and-set, for the linearizability
// checker (Knossos's cas-register, Porcupine's etcd model): read, write, and cas(from, to), which
// sets the value to `to` only if it is `from` and says whether it did. Values are JSON primitives
// compared by value. Operations may name a key; each key is a register of its own (a partition).
// A register never written holds `initial`: null by default (Jepsen's nil).

import type { Model, Operation } from "../sequentialModel.ts";
import { operationTimes, partitionByKey } from "./shared.ts";

export type RegisterValue = string | number | boolean | null;

export type RegisterInput =
  | { readonly op: "read"; readonly key?: string }
  | { readonly op: "write"; readonly key?: string; readonly value: RegisterValue }
  | { readonly op: "cas"; readonly key?: string; readonly from: RegisterValue; readonly to: RegisterValue };

/** A read's output is the value read; a cas's whether it succeeded; a write's nothing (null). */
export type RegisterOutput = RegisterValue;

export type RegisterOperation = Operation<RegisterInput, RegisterOutput>;

export interface RegisterModelOptions {
  /** The value of a register never written (default null). */
  readonly initial?: RegisterValue;
}

export function createRegisterModel(options: RegisterModelOptions = {}): Model<RegisterValue, RegisterInput, RegisterOutput> {
  const initial = options.initial ?? null;
  return {
    name: "register",
    partition: (operations) => partitionByKey(operations, (input) => input.key ?? ""),
    init: () => initial,
    step(state, input, output) {
      switch (input.op) {
        case "read":
          return output === undefined || output === state ? state : undefined;
        case "write":
          return input.value;
        case "cas": {
          const matches = state === input.from;
          if (output === undefined) return matches ? input.to : state;
          if (output === true) return matches ? input.to : undefined;
          return matches ? undefined : state;
        }
      }
    },
    describe(operation) {
      const { input, output, client } = operation;
      const when = operationTimes(operation);
      const key = input.key === undefined ? "" : `${input.key}`;
      const keyed = (...values: RegisterValue[]) => [...(input.key === undefined ? [] : [input.key]), ...values.map((value) => JSON.stringify(value))].join(", ");
      switch (input.op) {
        case "read":
          return `${client} read(${key}) → ${output === undefined ? "?" : JSON.stringify(output)} ${when}`;
        case "write":
          return `${client} write(${keyed(input.value)}) ${when}`;
        case "cas":
          return `${client} cas(${keyed(input.from, input.to)}) → ${output === undefined ? "?" : output === true ? "ok" : "fail"} ${when}`;
      }
    },
    validate(operation) {
      const input = operation.input as unknown as Record<string, unknown>;
      if (input.key !== undefined && typeof input.key !== "string") return "'key' must be a string when given";
      const completed = operation.returnMs !== undefined;
      const output = operation.output as unknown;
      switch (input.op) {
        case "read":
          return !completed || isValue(output) ? undefined : "a completed read needs 'output': a string, number, boolean, or null for a register never written";
        case "write":
          return isValue(input.value) ? undefined : "'write' needs a 'value': a string, number, boolean or null";
        case "cas":
          if (!isValue(input.from) || !isValue(input.to)) return "'cas' needs 'from' and 'to': strings, numbers, booleans or null";
          return !completed || typeof output === "boolean" ? undefined : "a completed cas needs 'output': true (it set the value) or false";
        default:
          return `'op' must be "read", "write" or "cas" for the register model`;
      }
    },
  };
}

function isValue(value: unknown): value is RegisterValue {
  return value === null || typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}

export const registerModel = createRegisterModel();
