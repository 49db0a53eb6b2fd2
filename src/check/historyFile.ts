// Reading a key-value history from JSON, for `dsim check linearizable FILE --model kv`: the format
// users write to check histories recorded from real systems (documented in
// docs/checkers/linearizability.md). Every malformed field is the user's input error.

import { UsageError } from "../core/errors.ts";
import type { KvInput, KvOperation } from "./models/kv.ts";

/**
 * `{ "operations": [ { "client": "c1", "call": 0, "return": 10, "op": "put", "key": "x", "value": "1" },
 *                    { "client": "c2", "call": 5, "return": 12, "op": "get", "key": "x", "output": "1" } ] }`
 * A bare array of operations is accepted too. `"return": null` (or no `return`) marks an operation
 * that never returned; a get's `output` is the value read, null for a missing key.
 */
export function parseKvHistory(value: unknown, source: string): KvOperation[] {
  const list = Array.isArray(value) ? value : isRecord(value) ? value.operations : undefined;
  if (!Array.isArray(list)) throw new UsageError(`${source}: expected {"operations": [...]} or an array of operations`);
  return list.map((item: unknown, index) => parseOperation(item, `${source}: operation ${index}`));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function parseOperation(item: unknown, where: string): KvOperation {
  if (!isRecord(item)) throw new UsageError(`${where} is not an object`);
  const client = item.client === undefined ? "?" : String(item.client);
  const callMs = item.call;
  if (typeof callMs !== "number" || !Number.isFinite(callMs)) throw new UsageError(`${where}: 'call' must be a finite number`);
  const returned = item.return;
  if (returned !== undefined && returned !== null && (typeof returned !== "number" || !Number.isFinite(returned))) {
    throw new UsageError(`${where}: 'return' must be a number or null`);
  }
  if (typeof returned === "number" && returned < callMs) throw new UsageError(`${where}: 'return' (${returned}) is before 'call' (${callMs})`);
  if (typeof item.key !== "string") throw new UsageError(`${where}: 'key' must be a string`);
  const input = parseInput(item, item.key, where);
  if (typeof returned !== "number") return { client, input, callMs };
  if (input.op !== "get") return { client, input, output: null, callMs, returnMs: returned };
  const output = item.output;
  if (output !== null && typeof output !== "string") throw new UsageError(`${where}: a completed get needs 'output': a string, or null for a missing key`);
  return { client, input, output, callMs, returnMs: returned };
}

function parseInput(item: Record<string, unknown>, key: string, where: string): KvInput {
  switch (item.op) {
    case "get":
      return { op: "get", key };
    case "put":
    case "append":
      if (typeof item.value !== "string") throw new UsageError(`${where}: '${item.op}' needs a string 'value'`);
      return { op: item.op, key, value: item.value };
    default:
      throw new UsageError(`${where}: 'op' must be "get", "put" or "append"`);
  }
}
