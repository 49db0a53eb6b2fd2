// The linearizability checker on hand-made histories (the textbook stale read, real-time order,
// operations that never returned, per-key partitions) and on the JSON history format.

import { describe, expect, test } from "vitest";
import { checkLinearizability, kvModel, type KvInput, type KvOperation } from "../../src/index.ts";
import { parseKvHistory } from "../../src/check/historyFile.ts";
import { UsageError } from "../../src/core/errors.ts";

const put = (client: string, key: string, value: string, callMs: number, returnMs?: number): KvOperation =>
  returnMs === undefined ? { client, input: { op: "put", key, value }, callMs } : { client, input: { op: "put", key, value }, output: null, callMs, returnMs };
const append = (client: string, key: string, value: string, callMs: number, returnMs?: number): KvOperation =>
  returnMs === undefined ? { client, input: { op: "append", key, value }, callMs } : { client, input: { op: "append", key, value }, output: null, callMs, returnMs };
const get = (client: string, key: string, output: string | null, callMs: number, returnMs: number): KvOperation => ({
  client, input: { op: "get", key } satisfies KvInput, output, callMs, returnMs,
});

describe("linearizability (kv)", () => {
  test("an empty history and a sequential history are linearizable", () => {
    expect(checkLinearizability([], kvModel).verdict).toBe("linearizable");
    const history = [put("c1", "x", "1", 0, 10), get("c2", "x", "1", 20, 30), append("c1", "x", "2", 40, 50), get("c2", "x", "12", 60, 70)];
    expect(checkLinearizability(history, kvModel)).toEqual({ verdict: "linearizable", partitions: 1 });
  });

  test("the textbook stale read is not linearizable, and the report names the three operations", () => {
    const history = [put("c1", "x", "1", 0, 10), put("c1", "x", "2", 20, 30), get("c2", "x", "1", 40, 50), get("c3", "y", null, 0, 100)];
    const result = checkLinearizability(history, kvModel);
    expect(result.verdict).toBe("not-linearizable");
    if (result.verdict !== "not-linearizable") return;
    expect(result.operations.map(kvModel.describe)).toEqual([
      'c1 put(x, "1") [0, 10]',
      'c1 put(x, "2") [20, 30]',
      'c2 get(x) → "1" [40, 50]',
    ]);
  });

  test("a read concurrent with a write may see the old or the new value", () => {
    for (const seen of ["1", "2"]) {
      const history = [put("c1", "x", "1", 0, 10), put("c1", "x", "2", 20, 60), get("c2", "x", seen, 30, 40)];
      expect(checkLinearizability(history, kvModel).verdict).toBe("linearizable");
    }
  });

  test("two sequential reads may not see a concurrent write and then not see it", () => {
    const history = [put("c1", "x", "1", 0, 10), put("c1", "x", "2", 20, 100), get("c2", "x", "2", 30, 40), get("c3", "x", "1", 50, 60)];
    const result = checkLinearizability(history, kvModel);
    expect(result.verdict).toBe("not-linearizable");
    // The write of 2 stays out of the report: whenever it took effect, the reads cannot both hold.
    if (result.verdict === "not-linearizable") expect(result.operations).toEqual([history[0], history[2], history[3]]);
  });

  test("an operation that never returned may have happened, or not", () => {
    const pending = append("c1", "x", "b", 20);
    expect(checkLinearizability([put("c1", "x", "a", 0, 10), pending, get("c2", "x", "ab", 30, 40)], kvModel).verdict).toBe("linearizable");
    expect(checkLinearizability([put("c1", "x", "a", 0, 10), pending, get("c2", "x", "a", 30, 40)], kvModel).verdict).toBe("linearizable");
    expect(checkLinearizability([put("c1", "x", "a", 0, 10), pending, get("c2", "x", "b", 30, 40)], kvModel).verdict).toBe("not-linearizable");
    // ...but not before it was called.
    expect(checkLinearizability([put("c1", "x", "a", 0, 10), get("c2", "x", "ab", 12, 18), pending], kvModel).verdict).toBe("not-linearizable");
  });

  test("an append applied twice is seen and reported", () => {
    const history = [put("c1", "x", "a", 0, 10), append("c1", "x", "b", 20, 30), get("c2", "x", "abb", 40, 50)];
    const result = checkLinearizability(history, kvModel);
    expect(result.verdict).toBe("not-linearizable");
  });

  test("keys are checked apart: a violation on one key is reported with that key's operations only", () => {
    const history = [put("c1", "a", "1", 0, 10), get("c2", "a", "1", 20, 30), put("c1", "b", "1", 0, 10), get("c2", "b", null, 20, 30)];
    const result = checkLinearizability(history, kvModel);
    expect(result.partitions).toBe(2);
    expect(result.verdict).toBe("not-linearizable");
    if (result.verdict === "not-linearizable") expect(result.operations.every((operation) => operation.input.key === "b")).toBe(true);
  });

  test("a search past its step limit answers unknown, not linearizable", () => {
    const history = Array.from({ length: 12 }, (_unused, index) => put(`c${index}`, "x", String(index), 0, 100));
    history.push(get("r", "x", "nope", 200, 210));
    expect(checkLinearizability(history, kvModel, { stepsMax: 50 }).verdict).toBe("unknown");
    expect(checkLinearizability(history, kvModel).verdict).toBe("not-linearizable");
  });
});

describe("the JSON history format", () => {
  test("reads operations, completed and never returned", () => {
    const history = parseKvHistory(
      {
        operations: [
          { client: "c1", call: 0, return: 10, op: "put", key: "x", value: "1" },
          { client: "c2", call: 5, return: 12, op: "get", key: "x", output: null },
          { client: "c3", call: 7, return: null, op: "append", key: "x", value: "2" },
        ],
      },
      "test",
    );
    expect(history).toEqual([put("c1", "x", "1", 0, 10), get("c2", "x", null, 5, 12), append("c3", "x", "2", 7)]);
  });

  test.each([
    [{}, "expected"],
    [[{ call: 0, op: "get", key: 1 }], "'key' must be a string"],
    [[{ call: "0", op: "get", key: "x" }], "'call' must be a finite number"],
    [[{ call: 5, return: 1, op: "get", key: "x", output: null }], "is before 'call'"],
    [[{ call: 0, return: 1, op: "get", key: "x" }], "needs 'output'"],
    [[{ call: 0, return: 1, op: "put", key: "x" }], "needs a string 'value'"],
    [[{ call: 0, return: 1, op: "cas", key: "x" }], "'op' must be"],
  ])("rejects %j", (value, message) => {
    expect(() => parseKvHistory(value, "test")).toThrow(UsageError);
    expect(() => parseKvHistory(value, "test")).toThrow(message);
  });
});
