// The linearizability search (WglSearch) on hand-built partitions, and the checker's entry point at
// its edges: which pending operations count as interchangeable (equal inputs, compared by a
// canonical JSON form: key order does not matter, anything that is not plain JSON has no twin),
// counted by the configurations the search visits; a pending operation called exactly when a
// return blocks; a decided search stays decided; the memory budget (state table, memo, release);
// the step count at the step limit; and the errors: bad times, a model that throws in each of its
// functions.

import { describe, expect, test } from "vitest";
import { checkLinearizability, kvModel, type KvOperation, type Model, type Operation } from "../../src/index.ts";
import { MemoryBudget } from "../../src/check/configurationCache.ts";
import { ModelError } from "../../src/check/modelError.ts";
import { WglSearch } from "../../src/check/wglSearch.ts";

/** Counts the operations applied; an operation whose output is "never" cannot happen. */
const countingModel: Model<number, unknown, string> = {
  name: "counting",
  init: () => 0,
  step: (state, _input, output) => (output === "never" ? undefined : state + 1),
  describe: (operation) => `${operation.client} [${operation.callMs}]`,
};

const BIG_BUDGET_BYTES = 1 << 24;

function search<Input, Output>(operations: readonly Operation<Input, Output>[], model: Model<unknown, Input, Output>, budgetBytes = BIG_BUDGET_BYTES) {
  const budget = new MemoryBudget(budgetBytes);
  return { budget, search: new WglSearch(operations, model, budget) };
}

/**
 * Two pending operations with these inputs, called at 0 and 1, and an operation that cannot happen
 * (so the search explores everything). With the inputs twins, the second is tried only after the
 * first: the configurations are {first} and {first, second}. Without, {second} alone is one more.
 */
function visitedWithPendingInputs(first: unknown, second: unknown): number {
  const operations: Operation<unknown, string>[] = [
    { client: "r", input: "impossible", output: "never", callMs: 100, returnMs: 110 },
    { client: "p1", input: first, callMs: 0 },
    { client: "p2", input: second, callMs: 1 },
  ];
  const { search: wgl } = search(operations, countingModel as Model<unknown, unknown, string>);
  expect(wgl.run(10_000)).toBe("not-linearizable");
  return wgl.visited;
}

class Point {
  constructor(readonly x: number) {}
}
class Size {
  constructor(readonly x: number) {}
}

describe("pending operations with equal inputs are interchangeable", () => {
  test("equal JSON inputs are twins, whatever the key order or an undefined field", () => {
    const equal: readonly (readonly [unknown, unknown])[] = [
      [null, null],
      ["a", "a"],
      [true, true],
      [false, false],
      [7, 7],
      [[1, "a", null, [true]], [1, "a", null, [true]]],
      [{ a: 1, b: [2, { c: "d" }] }, { b: [2, { c: "d" }], a: 1 }],
      [{ x: { b: 1, a: 2 } }, { x: { a: 2, b: 1 } }],
      [{ a: 1, b: undefined }, { a: 1 }],
      [{}, {}],
    ];
    for (const [first, second] of equal) expect(visitedWithPendingInputs(first, second), JSON.stringify([first, second])).toBe(2);
  });

  test("different inputs, and inputs that are not plain JSON, are not", () => {
    const apart: readonly (readonly [unknown, unknown])[] = [
      [null, "null"],
      [1, "1"],
      [true, "true"],
      [true, false],
      [1, 2],
      [[1], [2]],
      [[1, 23], [12, 3]],
      [[1], "[1]"],
      [[], {}],
      [{ a: 1 }, { b: 1 }],
      [{ a: 1 }, { a: 2 }],
      [{ ab: 1 }, { a: 1, b: undefined }],
      [Number.NaN, Number.NaN],
      [Number.NaN, Number.POSITIVE_INFINITY],
      [[Number.NaN], [Number.POSITIVE_INFINITY]],
      [{ a: Number.NaN }, { a: Number.POSITIVE_INFINITY }],
      [undefined, undefined],
      [new Point(1), new Size(1)],
      [new Map([["k", 1]]), new Map([["k", 2]])],
      [() => 1, () => 2],
      [Object.assign(Object.create(null) as object, { a: 1 }), Object.assign(Object.create(null) as object, { a: 2 })],
    ];
    apart.forEach(([first, second], index) => expect(visitedWithPendingInputs(first, second), `pair ${index}`).toBe(3));
  });

  test("appends of different values that never returned: either one may have happened alone", () => {
    const history: KvOperation[] = [
      { client: "c1", input: { op: "append", key: "x", value: "b" }, callMs: 20 },
      { client: "c2", input: { op: "append", key: "x", value: "c" }, callMs: 21 },
      { client: "c3", input: { op: "get", key: "x" }, output: "c", callMs: 30, returnMs: 40 },
    ];
    expect(checkLinearizability(history, kvModel, { explain: false }).verdict).toBe("linearizable");
  });

  test("of two equal appends that never returned, the later-called one may happen later", () => {
    const append = (client: string, callMs: number): KvOperation => ({ client, input: { op: "append", key: "x", value: "b" }, callMs });
    const get = (output: string, callMs: number): KvOperation => ({ client: "c3", input: { op: "get", key: "x" }, output, callMs, returnMs: callMs + 1 });
    const history: KvOperation[] = [
      { client: "c0", input: { op: "put", key: "x", value: "a" }, output: null, callMs: 0, returnMs: 10 },
      // 14 more returned operations, so that the pending ones' bits lie a word above them.
      ...Array.from({ length: 14 }, (_unused, index) => get("a", 20 + 2 * index)),
      append("c1", 100),
      get("ab", 110),
      append("c2", 130),
      get("abb", 140),
    ];
    expect(checkLinearizability(history, kvModel, { explain: false }).verdict).toBe("linearizable");
  });
});

/** A counter driven by pending steps: nothing, +1, -1, set to 1, 1 → 2 (only from 1); a returned `check` sees the value. */
type CounterInput = { readonly op: "noop" | "inc" | "dec" | "set1" | "from1to2" } | { readonly op: "check"; readonly value: number };
const counterModel: Model<number, CounterInput, null> = {
  name: "counter",
  init: () => 0,
  step(state, input) {
    switch (input.op) {
      case "noop":
        return state;
      case "inc":
        return state + 1;
      case "dec":
        return state - 1;
      case "set1":
        return 1;
      case "from1to2":
        return state === 1 ? 2 : undefined;
      case "check":
        return state === input.value ? state : undefined;
    }
  },
  describe: (operation) => `${operation.client} ${operation.input.op}`,
};

describe("the search", () => {
  test("the memo compares every word of the pending part: using one more-called operation is not covered by a configuration that used another", () => {
    // Only one order works: set1, from1to2, check 2, inc, check 3. The search first meets
    // {inc, from1to2} at state 2 (it fails: the inc is used up, and check 3 needs one), then
    // {set1, from1to2} at state 2, which must not count as covered: its pending part differs in
    // the word above, where inc and set1 lie (40 pending no-ops push them there).
    const pending = (client: string, op: CounterInput["op"], callMs: number): Operation<CounterInput, null> => ({ client, input: { op } as CounterInput, callMs });
    const check = (value: number, callMs: number): Operation<CounterInput, null> => ({ client: "r", input: { op: "check", value }, output: null, callMs, returnMs: callMs + 10 });
    const history = [
      pending("low", "from1to2", 0),
      ...Array.from({ length: 40 }, (_unused, index) => pending(`noop${index}`, "noop", 1 + index)),
      pending("inc", "inc", 50),
      pending("set1", "set1", 51),
      check(2, 100),
      check(3, 300),
    ];
    expect(checkLinearizability(history, counterModel, { explain: false }).verdict).toBe("linearizable");
  });

  test("a configuration found in the memo leaves the linearized set as it was (found by comparing the search with a planted bug on random histories)", () => {
    // set1, check 1, inc (called at 0), inc (called at 34, the very time check 3 returns), check 3.
    const pending = (client: string, op: CounterInput["op"], callMs: number): Operation<CounterInput, null> => ({ client, input: { op } as CounterInput, callMs });
    const check = (value: number, callMs: number, returnMs: number): Operation<CounterInput, null> => ({ client: "r", input: { op: "check", value }, output: null, callMs, returnMs });
    const history = [pending("p0", "inc", 0), pending("p1", "set1", 1), pending("p2", "set1", 48), pending("p3", "inc", 34), pending("p4", "dec", 34), check(1, 15, 20), check(3, 20, 34)];
    expect(checkLinearizability(history, counterModel, { explain: false }).verdict).toBe("linearizable");
    expect(checkLinearizability(history.filter((operation) => operation.client !== "p3"), counterModel, { explain: false }).verdict).toBe("not-linearizable");
  });

  test("pending operations are tried in the order of their calls, whatever the order of the history", () => {
    // Listed latest call first: only the one called at 0 can explain the read at [10, 20].
    const history: Operation<CounterInput, null>[] = [
      { client: "late", input: { op: "set1" }, callMs: 50 },
      { client: "mid", input: { op: "noop" }, callMs: 30 },
      { client: "r", input: { op: "check", value: 1 }, output: null, callMs: 10, returnMs: 20 },
      { client: "early", input: { op: "inc" }, callMs: 0 },
    ];
    expect(checkLinearizability(history, counterModel, { explain: false }).verdict).toBe("linearizable");
    // A pending operation that can never take effect did not take effect: it is not owed.
    const never: Operation<CounterInput, null>[] = [{ client: "p", input: { op: "from1to2" }, callMs: 0 }, { client: "r", input: { op: "check", value: 0 }, output: null, callMs: 10, returnMs: 20 }];
    expect(checkLinearizability(never, counterModel, { explain: false }).verdict).toBe("linearizable");
  });

  test("a pending operation that would leave the state as it is is not tried: no configuration is visited for it", () => {
    const history: Operation<CounterInput, null>[] = [
      { client: "p", input: { op: "noop" }, callMs: 0 },
      { client: "r", input: { op: "check", value: 5 }, output: null, callMs: 10, returnMs: 20 },
    ];
    const { search: wgl } = search(history, counterModel as Model<unknown, CounterInput, null>);
    expect(wgl.run(1_000)).toBe("not-linearizable");
    expect(wgl.visited).toBe(0);
  });

  test("a pending operation called at the very time of a return may take effect before it (closed intervals)", () => {
    const history = (appendCallMs: number): KvOperation[] => [
      { client: "c0", input: { op: "put", key: "x", value: "a" }, output: null, callMs: 0, returnMs: 4 },
      { client: "c1", input: { op: "get", key: "x" }, output: "ab", callMs: 5, returnMs: 10 },
      { client: "c2", input: { op: "append", key: "x", value: "b" }, callMs: appendCallMs },
    ];
    expect(checkLinearizability(history(10), kvModel, { explain: false }).verdict).toBe("linearizable");
    expect(checkLinearizability(history(11), kvModel, { explain: false }).verdict).toBe("not-linearizable");
  });

  test("two sequential operations: two configurations visited, and a decided search stays decided", () => {
    const operations: Operation<unknown, string>[] = [
      { client: "a", input: 1, output: "ok", callMs: 0, returnMs: 10 },
      { client: "b", input: 2, output: "ok", callMs: 20, returnMs: 30 },
    ];
    const { search: wgl } = search(operations, countingModel as Model<unknown, unknown, string>);
    expect(wgl.run(1_000)).toBe("linearizable");
    expect(wgl.status).toBe("linearizable");
    expect(wgl.visited).toBe(2);
    const steps = wgl.steps;
    expect(wgl.run(1_000)).toBe("linearizable");
    expect(wgl.steps).toBe(steps);

    const impossible: Operation<unknown, string>[] = [operations[0]!, { client: "b", input: 2, output: "never", callMs: 20, returnMs: 30 }];
    const { search: failing } = search(impossible, countingModel as Model<unknown, unknown, string>);
    expect(failing.run(1_000)).toBe("not-linearizable");
    const failingSteps = failing.steps;
    expect(failing.run(1_000)).toBe("not-linearizable");
    expect(failing.steps).toBe(failingSteps);
  });

  test("a new model state that does not fit the budget: out of memory, and the check says unknown", () => {
    // The state table charges 80 bytes a state: the initial state fits in 100 bytes, a second does not.
    const operations: Operation<unknown, string>[] = [{ client: "a", input: 1, output: "ok", callMs: 0, returnMs: 10 }];
    const { search: wgl } = search(operations, countingModel as Model<unknown, unknown, string>, 100);
    expect(wgl.run(1_000)).toBe("out-of-memory");
    expect(wgl.run(1_000)).toBe("out-of-memory");
    expect(checkLinearizability(operations, countingModel, { memoryBytesMax: 100 })).toMatchObject({ verdict: "unknown", limit: "memory" });
  });

  test("an initial state that does not fit the budget: out of memory from the start, and the check says unknown, not linearizable", () => {
    // The state table charges 80 bytes for the initial state; 50 do not hold it. The read below
    // cannot be linearized, so "linearizable" would be a pass the search never earned.
    const history: KvOperation[] = [{ client: "c", input: { op: "get", key: "x" }, output: "never written", callMs: 0, returnMs: 1 }];
    expect(new WglSearch(history, kvModel, new MemoryBudget(50)).status).toBe("out-of-memory");
    const result = checkLinearizability(history, kvModel, { memoryBytesMax: 50 });
    expect(result).toMatchObject({ verdict: "unknown", limit: "memory" });
    if (result.verdict === "unknown") expect(result.reason).toBe("the search of a partition of 1 operations passed its memory limit of 0 MiB after 0 configurations");
    expect(checkLinearizability(history, kvModel).verdict).toBe("not-linearizable");
  });

  test("a memo that does not fit the budget: unknown, never a verdict", () => {
    // 20 concurrent reads of the initial value and a read nothing wrote: one model state, 2^20
    // sets of reads; the memo's first arena (16,384 ints, 7 an entry) fills long before.
    const history: KvOperation[] = Array.from({ length: 20 }, (_unused, index) => ({ client: `c${index}`, input: { op: "get", key: "x" }, output: null, callMs: index, returnMs: 1000 + index }));
    history.push({ client: "r", input: { op: "get", key: "x" }, output: "impossible", callMs: 2000, returnMs: 2010 });
    const result = checkLinearizability(history, kvModel, { memoryBytesMax: 100_000 });
    expect(result).toMatchObject({ verdict: "unknown", limit: "memory" });
    if (result.verdict === "unknown") expect(result.reason).toMatch(/^the search of a partition of 21 operations passed its memory limit of 0 MiB after \d+ configurations$/);
  });

  test("release gives the budget back: partitions decided one after another share it", () => {
    const { budget, search: wgl } = search(
      [{ client: "a", input: 1, output: "ok", callMs: 0, returnMs: 10 }] as Operation<unknown, string>[],
      countingModel as Model<unknown, unknown, string>,
    );
    wgl.run(1_000);
    expect(budget.usedBytes).toBeGreaterThan(0);
    wgl.release();
    expect(budget.usedBytes).toBe(0);

    // Two keys, each decided in its first turn: key a's memo (81,920 bytes) and states (null 80,
    // "1" 82) are given back before key b's memo is allocated; both would not fit 100,000 bytes.
    const keyed = (key: string): KvOperation[] => [
      { client: "c1", input: { op: "put", key, value: "1" }, output: null, callMs: 0, returnMs: 10 },
      { client: "c2", input: { op: "get", key }, output: "1", callMs: 20, returnMs: 30 },
    ];
    const result = checkLinearizability([...keyed("a"), ...keyed("b")], kvModel, { memoryBytesMax: 100_000 });
    expect(result).toMatchObject({ verdict: "linearizable", partitions: 2 });
    expect(result.memoryBytesPeak).toBe(80 + 80 + 82 + 81_920);
  });
});

describe("checkLinearizability at its edges", () => {
  test("past the step limit, the steps reported are the limit: each turn counts only its own steps", () => {
    const history: KvOperation[] = Array.from({ length: 12 }, (_unused, index) => ({ client: `c${index}`, input: { op: "put", key: "x", value: String(index) }, output: null, callMs: 0, returnMs: 100 }));
    history.push({ client: "r", input: { op: "get", key: "x" }, output: "nope", callMs: 200, returnMs: 210 });
    // 40,000 steps: two full turns of 16,384 and a last one of 7,232.
    const result = checkLinearizability(history, kvModel, { stepsMax: 40_000 });
    expect(result).toMatchObject({ verdict: "unknown", limit: "steps", steps: 40_000 });
    // A limit below one turn: the one turn is cut to it.
    expect(checkLinearizability(history, kvModel, { stepsMax: 50 })).toMatchObject({ verdict: "unknown", limit: "steps", steps: 50 });
  });

  test("a minimal explanation says nothing of a cut", () => {
    const history: KvOperation[] = [
      { client: "c1", input: { op: "put", key: "x", value: "1" }, output: null, callMs: 0, returnMs: 10 },
      { client: "c2", input: { op: "get", key: "x" }, output: "2", callMs: 20, returnMs: 30 },
    ];
    const result = checkLinearizability(history, kvModel);
    expect(result).toMatchObject({ verdict: "not-linearizable", explained: "minimal" });
    if (result.verdict === "not-linearizable") expect(result.explanation).toBe("no order of these 1 operations consistent with real time is a legal kv history (whatever the other operations did)");
    const whole = checkLinearizability(history, kvModel, { explain: false });
    if (whole.verdict === "not-linearizable") expect(whole.explanation).toBe("no order of the 2 operations of this partition consistent with real time is a legal kv history");
    expect(whole.verdict).toBe("not-linearizable");
  });

  test("a minimization whose candidates run out of memory says so, and what it reports still cannot be linearized", () => {
    // Eight sequential appends of distinct letters and a read nothing made: deciding takes one order,
    // but a candidate with several appends relaxed (pending) meets a new value for every order of
    // them among the others, and the model states alone pass 200,000 bytes less the memo's 81,920.
    const history: KvOperation[] = Array.from({ length: 8 }, (_unused, index) => ({ client: "c", input: { op: "append", key: "x", value: String.fromCharCode(97 + index) }, output: null, callMs: 10 * index, returnMs: 10 * index + 5 }));
    history.push({ client: "r", input: { op: "get", key: "x" }, output: "impossible", callMs: 1000, returnMs: 1010 });
    const result = checkLinearizability(history, kvModel, { memoryBytesMax: 200_000 });
    expect(result).toMatchObject({ verdict: "not-linearizable", explained: "cut-short" });
    if (result.verdict !== "not-linearizable") return;
    expect(result.explanation).toMatch(/; the minimization was cut short by its memory limit, so the set may not be minimal\)$/);
    expect(checkLinearizability(result.operations, kvModel, { explain: false }).verdict).toBe("not-linearizable");
  });

  test("operations with times that are not numbers, or a return before the call, are refused", () => {
    const operation = (callMs: number, returnMs?: number): Operation<unknown, string> => ({ client: "a", input: 1, output: "ok", callMs, returnMs });
    const cases: readonly (readonly [Operation<unknown, string>, string])[] = [
      [operation(Number.NaN, 10), "operation 1: callMs must be a finite number (got NaN)"],
      [operation(0, Number.POSITIVE_INFINITY), "operation 1: returnMs must be a finite number or undefined (got Infinity)"],
      [operation(10, 5), "operation 1: returns at 5, before its call at 10"],
    ];
    for (const [bad, message] of cases) {
      const history = [operation(0, 1), bad];
      expect(() => checkLinearizability(history, countingModel)).toThrow(RangeError);
      expect(() => checkLinearizability(history, countingModel)).toThrow(message);
    }
    expect(checkLinearizability([operation(0, 1), { client: "p", input: 2, callMs: 5 }], countingModel).verdict).toBe("linearizable");
  });

  test("a model that throws: the function that threw and the first line of its message", () => {
    const history: Operation<unknown, string>[] = [{ client: "a", input: 1, output: "ok", callMs: 10, returnMs: 20 }];
    const throwing = (what: string, thrown: unknown): Model<number, unknown, string> => ({
      ...countingModel,
      [what]: () => {
        throw thrown;
      },
    });
    const cases: readonly (readonly [Model<number, unknown, string>, string])[] = [
      [throwing("init", new Error("no start\nstack")), "model 'counting': init threw: no start"],
      [throwing("stateKey", new Error("no key")), "model 'counting': stateKey threw: no key"],
      [throwing("partition", new Error("no keys\nmore")), "model 'counting': partition threw: no keys"],
      [throwing("step", new Error("bad step\nsecond line")), "model 'counting' threw on a [10]: bad step"],
      [throwing("step", "a string"), "model 'counting' threw on a [10]: a string"],
      [{ ...throwing("step", new Error("bad step")), describe: () => { throw new Error("no words"); } }, "model 'counting' threw on operation called at 10: bad step"],
    ];
    for (const [model, message] of cases) {
      let thrown: unknown;
      try {
        checkLinearizability(history, model);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ModelError);
      expect((thrown as Error).message).toBe(message);
    }
  });
});
