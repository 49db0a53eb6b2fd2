// Reading a history from dsim's JSON format, for `dsim check linearizable FILE`: the format users
// write to check histories recorded from real systems (documented in
// docs/checkers/linearizability.md). Every malformed field is the user's input error.

import { UsageError } from "../core/errors.ts";
import type { Operation } from "./sequentialModel.ts";

/** The fields an operation may have besides the model's input fields. */
const TIMING_FIELDS = ["client", "call", "return", "output", "input"] as const;
/** The input fields of the built-in models, used when an operation has no `input` object. */
const INPUT_FIELDS = ["op", "key", "value", "from", "to"] as const;

/**
 * `{ "operations": [ { "client": "c1", "call": 0, "return": 10, "op": "put", "key": "x", "value": "1" },
 *                    { "client": "c2", "call": 5, "return": 12, "op": "get", "key": "x", "output": "1" } ] }`
 * A bare array of operations is accepted too. `"return": null` (or no `return`) marks an operation
 * that never returned. The input is `input` when given (any JSON, for a model of one's own), else
 * the fields `op`, `key`, `value`, `from`, `to` that are present.
 */
export function parseJsonHistory(value: unknown, source: string): Operation<unknown, unknown>[] {
  const list = Array.isArray(value) ? value : isRecord(value) ? value.operations : undefined;
  if (!Array.isArray(list)) throw new UsageError(`${source}: expected {"operations": [...]} or an array of operations`);
  return list.map((item: unknown, index) => parseOperation(item, `${source}: operation ${index}`));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function parseOperation(item: unknown, where: string): Operation<unknown, unknown> {
  if (!isRecord(item)) throw new UsageError(`${where} is not an object`);
  const known: readonly string[] = [...TIMING_FIELDS, ...INPUT_FIELDS];
  const unknown = Object.keys(item).find((field) => !known.includes(field));
  if (unknown !== undefined) throw new UsageError(`${where}: unknown field '${unknown}' (known: ${known.join(", ")})`);
  const client = item.client === undefined ? "?" : String(item.client);
  const callMs = item.call;
  if (typeof callMs !== "number" || !Number.isFinite(callMs)) throw new UsageError(`${where}: 'call' must be a finite number`);
  const returned = item.return;
  if (returned !== undefined && returned !== null && (typeof returned !== "number" || !Number.isFinite(returned))) {
    throw new UsageError(`${where}: 'return' must be a number or null`);
  }
  if (typeof returned === "number" && returned < callMs) throw new UsageError(`${where}: 'return' (${returned}) is before 'call' (${callMs})`);
  let input: unknown = item.input;
  if (input === undefined) {
    if (typeof item.op !== "string") throw new UsageError(`${where}: needs 'op' (a string), or an 'input' for a model of your own`);
    input = Object.fromEntries(INPUT_FIELDS.filter((field) => item[field] !== undefined).map((field) => [field, item[field]]));
  } else if (INPUT_FIELDS.some((field) => item[field] !== undefined)) {
    throw new UsageError(`${where}: give either 'input' or the fields ${INPUT_FIELDS.join(", ")}, not both`);
  }
  const base = { client, input, callMs };
  const output = item.output;
  if (typeof returned !== "number") return base;
  return output === undefined ? { ...base, returnMs: returned } : { ...base, output, returnMs: returned };
}
