// The linearizability checker on hand-made histories, for each model: kv (the textbook stale read,
// real-time order, operations that never returned, per-key partitions), register (read, write,
// compare-and-set) and a model of the user's own; the budgets that answer "unknown"; and the
// minimization of a violation, bounded and optional.

import { describe, expect, test } from "vitest";
import { checkLinearizability, kvModel, type KvInput, type KvOperation, type Model, type Operation } from "../../src/index.ts";
import { ModelError } from "../../src/check/modelError.ts";
import { createKvModel } from "../../src/check/models/kv.ts";
import { validateModel } from "../../src/check/models/load.ts";
import { registerModel, type RegisterOperation } from "../../src/check/models/register.ts";
import { UsageError } from "../../src/core/errors.ts";

const put = (client: string, key: string, value: string, callMs: number, returnMs?: number): KvOperation =>
  returnMs === undefined ? { client, input: { op: "put", key, value }, callMs } : { client, input: { op: "put", key, value }, output: null, callMs, returnMs };
const append = (client: string, key: string, value: string, callMs: number, returnMs?: number): KvOperation =>
  returnMs === undefined ? { client, input: { op: "append", key, value }, callMs } : { client, input: { op: "append", key, value }, output: null, callMs, returnMs };
const get = (client: string, key: string, output: string | null, callMs: number, returnMs: number): KvOperation => ({
  client, input: { op: "get", key } satisfies KvInput, output, callMs, returnMs,
});

const write = (client: string, value: number, callMs: number, returnMs?: number): RegisterOperation =>
  returnMs === undefined ? { client, input: { op: "write", value }, callMs } : { client, input: { op: "write", value }, output: null, callMs, returnMs };
const read = (client: string, output: number | null, callMs: number, returnMs: number): RegisterOperation => ({ client, input: { op: "read" }, output, callMs, returnMs });
const cas = (client: string, from: number, to: number, output: boolean | undefined, callMs: number, returnMs?: number): RegisterOperation =>
  output === undefined || returnMs === undefined
    ? { client, input: { op: "cas", from, to }, callMs }
    : { client, input: { op: "cas", from, to }, output, callMs, returnMs };

describe("linearizability (kv)", () => {
  test("an empty history and a sequential history are linearizable", () => {
    expect(checkLinearizability([], kvModel).verdict).toBe("linearizable");
    const history = [put("c1", "x", "1", 0, 10), get("c2", "x", "1", 20, 30), append("c1", "x", "2", 40, 50), get("c2", "x", "12", 60, 70)];
    const result = checkLinearizability(history, kvModel);
    expect(result).toMatchObject({ verdict: "linearizable", partitions: 1 });
    expect(result.steps).toBeGreaterThan(0);
  });

  test("the textbook stale read is not linearizable, and the report names the three operations", () => {
    const history = [put("c1", "x", "1", 0, 10), put("c1", "x", "2", 20, 30), get("c2", "x", "1", 40, 50), get("c3", "y", null, 0, 100)];
    const result = checkLinearizability(history, kvModel);
    expect(result.verdict).toBe("not-linearizable");
    if (result.verdict !== "not-linearizable") return;
    expect(result.explained).toBe("minimal");
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

  test("two identical appends that never returned may both have happened, or one, or none", () => {
    const history = (seen: string) => [put("c1", "x", "", 0, 10), append("c2", "x", "b", 20), append("c3", "x", "b", 21), get("c4", "x", seen, 30, 40)];
    for (const seen of ["", "b", "bb"]) expect(checkLinearizability(history(seen), kvModel).verdict).toBe("linearizable");
    expect(checkLinearizability(history("bbb"), kvModel).verdict).toBe("not-linearizable");
  });

  test("an append applied twice is seen and reported", () => {
    const history = [put("c1", "x", "a", 0, 10), append("c1", "x", "b", 20, 30), get("c2", "x", "abb", 40, 50)];
    expect(checkLinearizability(history, kvModel).verdict).toBe("not-linearizable");
  });

  test("keys are checked apart: a violation on one key is reported with that key's operations only", () => {
    const history = [put("c1", "a", "1", 0, 10), get("c2", "a", "1", 20, 30), put("c1", "b", "1", 0, 10), get("c2", "b", null, 20, 30)];
    const result = checkLinearizability(history, kvModel);
    expect(result.partitions).toBe(2);
    expect(result.verdict).toBe("not-linearizable");
    if (result.verdict === "not-linearizable") expect(result.operations.every((operation) => operation.input.key === "b")).toBe(true);
  });

  test("a key never written reads as the model's initial value", () => {
    const history = [get("c1", "x", "", 0, 10), append("c1", "x", "a", 20, 30), get("c1", "x", "a", 40, 50)];
    expect(checkLinearizability(history, kvModel).verdict).toBe("not-linearizable");
    expect(checkLinearizability(history, createKvModel({ initial: "" })).verdict).toBe("linearizable");
  });
});

describe("linearizability (register with compare-and-set)", () => {
  test("writes, reads and compare-and-sets in sequence are linearizable", () => {
    const history = [read("c1", null, 0, 5), write("c1", 1, 10, 20), cas("c2", 1, 2, true, 30, 40), cas("c3", 1, 3, false, 50, 60), read("c1", 2, 70, 80)];
    expect(checkLinearizability(history, registerModel).verdict).toBe("linearizable");
  });

  test("a compare-and-set that succeeded on a value the register did not hold is not linearizable", () => {
    const history = [write("c1", 5, 0, 10), write("c1", 1, 20, 30), read("c3", 1, 35, 36), cas("c2", 5, 6, true, 40, 50)];
    const result = checkLinearizability(history, registerModel);
    expect(result.verdict).toBe("not-linearizable");
    if (result.verdict !== "not-linearizable") return;
    expect(result.operations.map(registerModel.describe)).toEqual(["c1 write(5) [0, 10]", "c1 write(1) [20, 30]", "c2 cas(5, 6) → ok [40, 50]"]);
  });

  test("a compare-and-set that failed on the value it expected is not linearizable", () => {
    expect(checkLinearizability([write("c1", 1, 0, 10), cas("c2", 1, 2, false, 20, 30)], registerModel).verdict).toBe("not-linearizable");
  });

  test("a stale read after a write is not linearizable; concurrent with it, it is", () => {
    expect(checkLinearizability([write("c1", 1, 0, 10), write("c1", 2, 20, 30), read("c2", 1, 40, 50)], registerModel).verdict).toBe("not-linearizable");
    expect(checkLinearizability([write("c1", 1, 0, 10), write("c1", 2, 20, 60), read("c2", 1, 40, 50)], registerModel).verdict).toBe("linearizable");
  });

  test("a compare-and-set that never returned may explain a later read, but only once", () => {
    const pending = cas("c2", 1, 2, undefined, 15);
    expect(checkLinearizability([write("c1", 1, 0, 10), pending, read("c3", 2, 20, 30)], registerModel).verdict).toBe("linearizable");
    const history = [write("c1", 1, 0, 10), pending, read("c3", 2, 20, 30), write("c1", 1, 40, 50), read("c3", 2, 60, 70)];
    expect(checkLinearizability(history, registerModel).verdict).toBe("not-linearizable");
  });

  test("operations naming keys are registers of their own", () => {
    const keyed = (key: string, operation: RegisterOperation): RegisterOperation => ({ ...operation, input: { ...operation.input, key } });
    const history = [keyed("a", write("c1", 1, 0, 10)), keyed("b", read("c2", null, 20, 30)), keyed("a", read("c2", 1, 20, 30))];
    expect(checkLinearizability(history, registerModel)).toMatchObject({ verdict: "linearizable", partitions: 2 });
  });
});

/** A user's model: a queue (enqueue, dequeue from the front), whose state is a list. */
type QueueInput = { readonly op: "enqueue"; readonly value: number } | { readonly op: "dequeue" };
const queueModel: Model<readonly number[], QueueInput, number | null> = {
  name: "queue",
  init: () => [],
  step(state, input, output) {
    if (input.op === "enqueue") return [...state, input.value];
    const head = state[0] ?? null;
    return output === undefined || output === head ? state.slice(1) : undefined;
  },
  describe: (operation) => `${operation.client} ${operation.input.op}${operation.input.op === "enqueue" ? `(${operation.input.value})` : ` → ${operation.output}`}`,
};

describe("linearizability (a model of one's own)", () => {
  const enqueue = (value: number, callMs: number, returnMs: number): Operation<QueueInput, number | null> => ({ client: "p", input: { op: "enqueue", value }, output: null, callMs, returnMs });
  const dequeue = (output: number | null, callMs: number, returnMs: number): Operation<QueueInput, number | null> => ({ client: "c", input: { op: "dequeue" }, output, callMs, returnMs });

  test("a queue's FIFO order holds, or is broken, by real time", () => {
    expect(checkLinearizability([enqueue(1, 0, 10), enqueue(2, 20, 30), dequeue(1, 40, 50), dequeue(2, 60, 70)], queueModel).verdict).toBe("linearizable");
    expect(checkLinearizability([enqueue(1, 0, 10), enqueue(2, 20, 30), dequeue(2, 40, 50)], queueModel).verdict).toBe("not-linearizable");
    // Concurrent enqueues may take effect in either order.
    expect(checkLinearizability([enqueue(1, 0, 30), enqueue(2, 5, 25), dequeue(2, 40, 50)], queueModel).verdict).toBe("linearizable");
  });

  test("a model that throws is reported as a broken model, with the operation it threw on", () => {
    const broken: Model<number, QueueInput, number | null> = {
      ...(queueModel as unknown as Model<number, QueueInput, number | null>),
      init: () => 0,
      step: () => {
        throw new Error("not implemented");
      },
    };
    expect(() => checkLinearizability([enqueue(1, 0, 10)], broken)).toThrow(ModelError);
    expect(() => checkLinearizability([enqueue(1, 0, 10)], broken)).toThrow("p enqueue(1)");
  });

  test("a module's export is checked for a model's shape", () => {
    expect(validateModel(queueModel, "queue.ts").name).toBe("queue");
    const { describe: _describe, ...withoutDescribe } = queueModel;
    expect(validateModel(withoutDescribe, "queue.ts").describe(enqueue(1, 0, 10))).toBe('p {"op":"enqueue","value":1} → null [0, 10]');
    for (const [value, message] of [
      [undefined, "does not export a model"],
      [{ init: () => 0, step: () => 0 }, "non-empty 'name'"],
      [{ name: "m", init: () => 0 }, "a 'step' function"],
      [{ name: "m", init: () => 0, step: () => 0, partition: "by key" }, "'partition' must be a function"],
    ] as const) {
      expect(() => validateModel(value, "m.ts")).toThrow(UsageError);
      expect(() => validateModel(value, "m.ts")).toThrow(message);
    }
  });
});

/** 30 appends, all concurrent, then a read of a value no order of them makes. */
function concurrentAppendsAndImpossibleRead(appends: number): KvOperation[] {
  const history = Array.from({ length: appends }, (_unused, index) => append(`c${index}`, "x", `<${index}>`, index, 1000 + index));
  history.push(get("r", "x", "impossible", 2000, 2010));
  return history;
}

describe("budgets: the answer is unknown, never a pass", () => {
  test("a search past its step limit answers unknown, naming the limit", () => {
    const history = Array.from({ length: 12 }, (_unused, index) => put(`c${index}`, "x", String(index), 0, 100));
    history.push(get("r", "x", "nope", 200, 210));
    const result = checkLinearizability(history, kvModel, { stepsMax: 50 });
    expect(result).toMatchObject({ verdict: "unknown", limit: "steps" });
    if (result.verdict === "unknown") expect(result.reason).toContain("limit of 50 steps");
    // Unbounded, the search decides (the explanation is not what this shows, and would cost 2x the steps).
    expect(checkLinearizability(history, kvModel, { explain: false }).verdict).toBe("not-linearizable");
  });

  test("30 concurrent appends and an impossible read: unknown when the memo passes its memory limit", () => {
    const result = checkLinearizability(concurrentAppendsAndImpossibleRead(30), kvModel, { memoryBytesMax: 2 * 1024 * 1024 });
    expect(result).toMatchObject({ verdict: "unknown", limit: "memory" });
    expect(result.memoryBytesPeak).toBeLessThanOrEqual(2 * 1024 * 1024);
    if (result.verdict === "unknown") expect(result.reason).toContain("memory limit of 2 MiB");
  });

  test("the same history, small enough to search, is not linearizable", () => {
    // Without the explanation, whose minimization would take four times the search's 369,122 steps.
    expect(checkLinearizability(concurrentAppendsAndImpossibleRead(8), kvModel, { explain: false }).verdict).toBe("not-linearizable");
  });

  test("a partition out of memory does not hide a violation on another key", () => {
    const history = [...concurrentAppendsAndImpossibleRead(30), put("c1", "y", "1", 0, 10), get("c2", "y", "2", 20, 30)];
    const result = checkLinearizability(history, kvModel, { memoryBytesMax: 2 * 1024 * 1024 });
    expect(result.verdict).toBe("not-linearizable");
    if (result.verdict === "not-linearizable") expect(result.operations.every((operation) => operation.input.key === "y")).toBe(true);
  });

  test("a long sequential history stays within a small memory budget", () => {
    const history: KvOperation[] = [];
    for (let index = 0; index < 20_000; index += 2) {
      history.push(put("c1", "x", String(index), 10 * index, 10 * index + 5));
      history.push(get("c2", "x", String(index), 10 * index + 10, 10 * index + 15));
    }
    const result = checkLinearizability(history, kvModel, { memoryBytesMax: 16 * 1024 * 1024 });
    expect(result.verdict).toBe("linearizable");
    expect(result.memoryBytesPeak).toBeLessThanOrEqual(16 * 1024 * 1024);
  });
});

describe("explaining a violation", () => {
  const staleRead = [put("c1", "x", "0", 0, 5), put("c1", "x", "1", 10, 20), put("c2", "x", "2", 11, 19), put("c1", "x", "3", 30, 40), get("c2", "x", "1", 50, 60)];

  test("by default the violation is minimized: relaxing any reported operation makes it linearizable", () => {
    const result = checkLinearizability(staleRead, kvModel);
    expect(result).toMatchObject({ verdict: "not-linearizable", explained: "minimal" });
    if (result.verdict !== "not-linearizable") return;
    expect(result.operations.map(kvModel.describe)).toEqual(['c1 put(x, "1") [10, 20]', 'c1 put(x, "3") [30, 40]', 'c2 get(x) → "1" [50, 60]']);
    expect(checkLinearizability(result.operations, kvModel, { explain: false }).verdict).toBe("not-linearizable");
    for (const left of result.operations) {
      const relaxed = result.operations.map((operation) => (operation === left ? { client: operation.client, input: operation.input, callMs: operation.callMs } : operation));
      expect(checkLinearizability(relaxed, kvModel, { explain: false }).verdict).toBe("linearizable");
    }
  });

  test("without explain the failing partition is reported whole", () => {
    const result = checkLinearizability(staleRead, kvModel, { explain: false });
    expect(result).toMatchObject({ verdict: "not-linearizable", explained: "off", explainSteps: 0 });
    if (result.verdict === "not-linearizable") expect(result.operations).toHaveLength(staleRead.length);
  });

  test("a minimization out of steps says it was cut short, and what it reports still cannot be linearized", () => {
    const result = checkLinearizability(staleRead, kvModel, { explainStepsMax: 3 });
    expect(result).toMatchObject({ verdict: "not-linearizable", explained: "cut-short" });
    if (result.verdict !== "not-linearizable") return;
    expect(result.explanation).toContain("cut short by its step limit");
    expect(result.operations.length).toBeGreaterThan(3);
    expect(checkLinearizability(result.operations, kvModel, { explain: false }).verdict).toBe("not-linearizable");
  });
});
