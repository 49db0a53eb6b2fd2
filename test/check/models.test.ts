// The built-in sequential models on their own, operation kind by operation kind: the kv model
// (get, put, append) and the register model (read, write, cas), each with its name, partitioning,
// step (including an unknown output, which any state allows), the description a violation report
// shows, and every refusal `validate` gives a history file. Expected strings are written out by
// hand from the documented formats: `<client> <op>(<args>) → <output> [<call>, <return>]`.

import { describe, expect, test } from "vitest";
import { createKvModel, type KvInput, type KvOperation } from "../../src/check/models/kv.ts";
import { createRegisterModel, type RegisterInput, type RegisterOperation } from "../../src/check/models/register.ts";

const kv = createKvModel();
const register = createRegisterModel();

/** An operation read from a file: its fields are whatever the file said, right or wrong. */
const raw = <Operation>(input: Record<string, unknown>, output?: unknown, returnMs?: number): Operation =>
  ({ client: "c1", input, ...(output === undefined ? {} : { output }), callMs: 1, ...(returnMs === undefined ? {} : { returnMs }) }) as Operation;

describe("kv model", () => {
  test("is named kv", () => {
    expect(kv.name).toBe("kv");
  });

  test("a get with an unknown output keeps the state; a known one must equal it", () => {
    const get: KvInput = { op: "get", key: "x" };
    expect(kv.step("a", get, undefined)).toBe("a");
    expect(kv.step(null, get, undefined)).toBe(null);
    expect(kv.step("a", get, "a")).toBe("a");
    expect(kv.step("a", get, "b")).toBeUndefined();
    expect(kv.step(null, get, "")).toBeUndefined();
  });

  test("put replaces the value; append extends it, a missing key as empty", () => {
    expect(kv.step("a", { op: "put", key: "x", value: "b" }, null)).toBe("b");
    expect(kv.step("a", { op: "append", key: "x", value: "b" }, null)).toBe("ab");
    expect(kv.step(null, { op: "append", key: "x", value: "b" }, null)).toBe("b");
  });

  test("a key never written reads as the configured initial value", () => {
    expect(createKvModel().init()).toBe(null);
    expect(createKvModel({ initial: "" }).init()).toBe("");
  });

  test("describes each operation kind with its output and times", () => {
    const done = (input: KvInput, output: string | null): KvOperation => ({ client: "c1", input, output, callMs: 3, returnMs: 7 });
    expect(kv.describe(done({ op: "get", key: "x" }, "v"))).toBe('c1 get(x) → "v" [3, 7]');
    expect(kv.describe(done({ op: "get", key: "x" }, null))).toBe("c1 get(x) → null [3, 7]");
    expect(kv.describe({ client: "c2", input: { op: "get", key: "x" }, callMs: 4 })).toBe("c2 get(x) → ? [4, never returned]");
    expect(kv.describe(done({ op: "put", key: "y", value: "1" }, null))).toBe('c1 put(y, "1") [3, 7]');
    expect(kv.describe(done({ op: "append", key: "z", value: "2" }, null))).toBe('c1 append(z, "2") [3, 7]');
  });

  test("partitions per key, keys in sorted order", () => {
    const ops: KvOperation[] = [
      { client: "c1", input: { op: "put", key: "b", value: "1" }, output: null, callMs: 1, returnMs: 2 },
      { client: "c1", input: { op: "put", key: "a", value: "2" }, output: null, callMs: 3, returnMs: 4 },
      { client: "c2", input: { op: "get", key: "b" }, output: "1", callMs: 5, returnMs: 6 },
    ];
    expect(kv.partition!(ops)).toEqual([[ops[1]], [ops[0], ops[2]]]);
  });

  test("validate accepts every well-formed operation", () => {
    expect(kv.validate!(raw({ op: "get", key: "x" }, "v", 2))).toBeUndefined();
    expect(kv.validate!(raw({ op: "get", key: "x" }, null, 2))).toBeUndefined();
    expect(kv.validate!(raw({ op: "get", key: "x" }))).toBeUndefined();
    expect(kv.validate!(raw({ op: "put", key: "x", value: "1" }, null, 2))).toBeUndefined();
    expect(kv.validate!(raw({ op: "append", key: "x", value: "1" }, null, 2))).toBeUndefined();
  });

  test("validate refuses each malformed operation with its own message", () => {
    expect(kv.validate!(raw({ op: "get", key: 3 }, "v", 2))).toBe("'key' must be a string");
    expect(kv.validate!(raw({ op: "get" }, "v", 2))).toBe("'key' must be a string");
    expect(kv.validate!(raw({ op: "put", key: "x" }, null, 2))).toBe("'put' needs a string 'value'");
    expect(kv.validate!(raw({ op: "append", key: "x", value: 5 }, null, 2))).toBe("'append' needs a string 'value'");
    expect(kv.validate!(raw({ op: "delete", key: "x", value: "1" }, null, 2))).toBe(`'op' must be "get", "put" or "append" for the kv model`);
    expect(kv.validate!(raw({ op: "get", key: "x" }, 5, 2))).toBe("a completed get needs 'output': a string, or null for a missing key");
  });

  test("a get that never returned may carry any output: it is not read", () => {
    expect(kv.validate!(raw({ op: "get", key: "x" }, 5))).toBeUndefined();
  });
});

describe("register model", () => {
  test("is named register", () => {
    expect(register.name).toBe("register");
  });

  test("a register never written holds the configured initial value", () => {
    expect(createRegisterModel().init()).toBe(null);
    expect(createRegisterModel({ initial: 0 }).init()).toBe(0);
  });

  test("a read with an unknown output keeps the state; a known one must equal it", () => {
    const read: RegisterInput = { op: "read" };
    expect(register.step(1, read, undefined)).toBe(1);
    expect(register.step(1, read, 1)).toBe(1);
    expect(register.step(1, read, "1")).toBeUndefined();
  });

  test("write sets the value", () => {
    expect(register.step(1, { op: "write", value: 2 }, null)).toBe(2);
  });

  test("cas: sets the value only when it matches, and its output must say which", () => {
    const cas: RegisterInput = { op: "cas", from: 1, to: 2 };
    expect(register.step(1, cas, true)).toBe(2);
    expect(register.step(3, cas, true)).toBeUndefined();
    expect(register.step(3, cas, false)).toBe(3);
    expect(register.step(1, cas, false)).toBeUndefined();
    expect(register.step(1, cas, undefined)).toBe(2);
    expect(register.step(3, cas, undefined)).toBe(3);
  });

  test("partitions per key; an operation without a key is the register of key \"\"", () => {
    const ops: RegisterOperation[] = [
      { client: "c1", input: { op: "write", key: "b", value: 1 }, output: null, callMs: 1, returnMs: 2 },
      { client: "c1", input: { op: "write", value: 2 }, output: null, callMs: 3, returnMs: 4 },
      { client: "c2", input: { op: "read", key: "" }, output: 2, callMs: 5, returnMs: 6 },
    ];
    expect(register.partition!(ops)).toEqual([[ops[1], ops[2]], [ops[0]]]);
  });

  test("describes each operation kind, with and without a key", () => {
    const done = (input: RegisterInput, output: RegisterOperation["output"]): RegisterOperation => ({ client: "c1", input, output, callMs: 3, returnMs: 7 });
    expect(register.describe(done({ op: "read" }, 5))).toBe("c1 read() → 5 [3, 7]");
    expect(register.describe(done({ op: "read", key: "k" }, "v"))).toBe('c1 read(k) → "v" [3, 7]');
    expect(register.describe({ client: "c2", input: { op: "read", key: "k" }, callMs: 4 })).toBe("c2 read(k) → ? [4, never returned]");
    expect(register.describe(done({ op: "write", value: 5 }, null))).toBe("c1 write(5) [3, 7]");
    expect(register.describe(done({ op: "write", key: "k", value: "v" }, null))).toBe('c1 write(k, "v") [3, 7]');
    expect(register.describe(done({ op: "cas", from: 1, to: null }, true))).toBe("c1 cas(1, null) → ok [3, 7]");
    expect(register.describe(done({ op: "cas", key: "k", from: 1, to: 2 }, false))).toBe("c1 cas(k, 1, 2) → fail [3, 7]");
    expect(register.describe({ client: "c2", input: { op: "cas", from: 1, to: 2 }, callMs: 4 })).toBe("c2 cas(1, 2) → ? [4, never returned]");
  });

  test("validate accepts every well-formed operation", () => {
    expect(register.validate!(raw({ op: "read" }, null, 2))).toBeUndefined();
    expect(register.validate!(raw({ op: "read", key: "k" }, "v", 2))).toBeUndefined();
    expect(register.validate!(raw({ op: "read" }, true, 2))).toBeUndefined();
    expect(register.validate!(raw({ op: "read" }, 1.5, 2))).toBeUndefined();
    expect(register.validate!(raw({ op: "read" }))).toBeUndefined();
    expect(register.validate!(raw({ op: "write", value: null }, null, 2))).toBeUndefined();
    expect(register.validate!(raw({ op: "cas", from: "a", to: false }, true, 2))).toBeUndefined();
    expect(register.validate!(raw({ op: "cas", from: 1, to: 2 }))).toBeUndefined();
  });

  test("validate refuses each malformed operation with its own message", () => {
    const badRead = "a completed read needs 'output': a string, number, boolean, or null for a register never written";
    expect(register.validate!(raw({ op: "read", key: 3 }, 1, 2))).toBe("'key' must be a string when given");
    expect(register.validate!(raw({ op: "read" }, { a: 1 }, 2))).toBe(badRead);
    expect(register.validate!(raw({ op: "read" }, Number.NaN, 2))).toBe(badRead);
    expect(register.validate!(raw({ op: "read" }, Number.POSITIVE_INFINITY, 2))).toBe(badRead);
    expect(register.validate!(raw({ op: "write", value: [1] }, null, 2))).toBe("'write' needs a 'value': a string, number, boolean or null");
    expect(register.validate!(raw({ op: "write" }, null, 2))).toBe("'write' needs a 'value': a string, number, boolean or null");
    const badCas = "'cas' needs 'from' and 'to': strings, numbers, booleans or null";
    expect(register.validate!(raw({ op: "cas", to: 2 }, true, 2))).toBe(badCas);
    expect(register.validate!(raw({ op: "cas", from: 1 }, true, 2))).toBe(badCas);
    expect(register.validate!(raw({ op: "cas", from: 1, to: 2 }, 1, 2))).toBe("a completed cas needs 'output': true (it set the value) or false");
    expect(register.validate!(raw({ op: "swap", value: 1 }, null, 2))).toBe(`'op' must be "read", "write" or "cas" for the register model`);
  });

  test("an operation that never returned is not asked for an output", () => {
    expect(register.validate!(raw({ op: "read" }, { a: 1 }))).toBeUndefined();
    expect(register.validate!(raw({ op: "cas", from: 1, to: 2 }, "yes"))).toBeUndefined();
  });
});
