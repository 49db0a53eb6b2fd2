// Properties of the linearizability checker (fast-check), for the kv and register models: every
// history recorded from a sequential run is linearizable, whatever the overlaps around each
// operation's moment of effect; a read of a value no operation could have made, planted anywhere,
// never is; swapping the results of two non-overlapping reads that saw different values never is.

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { propertyOptions } from "../fixtures/propertyRuns.ts";
import { checkLinearizability, kvModel, type KvInput, type KvOperation } from "../../src/index.ts";
import { registerModel, type RegisterInput, type RegisterOperation, type RegisterValue } from "../../src/check/models/register.ts";

const inputArbitrary: fc.Arbitrary<KvInput> = fc.oneof(
  fc.record({ op: fc.constant("get" as const), key: fc.constantFrom("a", "b") }),
  fc.record({ op: fc.constant("put" as const), key: fc.constantFrom("a", "b"), value: fc.constantFrom("1", "2", "3") }),
  fc.record({ op: fc.constant("append" as const), key: fc.constantFrom("a", "b"), value: fc.constantFrom("x", "y") }),
);

const stepArbitrary = fc.record({
  input: inputArbitrary,
  client: fc.constantFrom("c1", "c2", "c3"),
  leadMs: fc.integer({ min: 0, max: 25 }),
  lagMs: fc.integer({ min: 0, max: 25 }),
  neverReturned: fc.integer({ min: 0, max: 9 }).map((roll) => roll === 0),
});

type Step = typeof stepArbitrary extends fc.Arbitrary<infer Value> ? Value : never;

/** Runs the inputs one by one on a real map; operation i takes effect at 10·i ms, inside its interval. */
function sequentialRun(steps: readonly Step[], overlapping: boolean): KvOperation[] {
  const values = new Map<string, string>();
  return steps.map((step, index) => {
    const effectMs = 10 * index;
    const callMs = overlapping ? effectMs - step.leadMs : effectMs;
    const returnMs = overlapping ? effectMs + step.lagMs : effectMs + 5;
    const { input } = step;
    let output: string | null = null;
    if (input.op === "get") output = values.get(input.key) ?? null;
    else values.set(input.key, input.op === "put" ? input.value : (values.get(input.key) ?? "") + input.value);
    if (overlapping && step.neverReturned && input.op !== "get") return { client: step.client, input, callMs };
    return { client: step.client, input, output, callMs, returnMs };
  });
}

describe("linearizability properties", () => {
  test("a history produced by a sequential run is linearizable", () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { maxLength: 40 }), (steps) => {
        expect(checkLinearizability(sequentialRun(steps, true), kvModel).verdict).toBe("linearizable");
      }),
      propertyOptions(300),
    );
  });

  test("swapping the results of two non-overlapping reads of different values makes it not linearizable", () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { minLength: 2, maxLength: 30 }), fc.nat(), fc.nat(), (steps, first, second) => {
        const history = sequentialRun(steps, false);
        const reads = history.flatMap((operation, index) => (operation.input.op === "get" ? [index] : []));
        fc.pre(reads.length >= 2);
        const one = reads[first % reads.length]!;
        const other = reads[second % reads.length]!;
        fc.pre(history[one]!.output !== history[other]!.output);
        const swapped = history.map((operation, index) =>
          index === one ? { ...operation, output: history[other]!.output } : index === other ? { ...operation, output: history[one]!.output } : operation,
        );
        expect(checkLinearizability(swapped, kvModel).verdict).toBe("not-linearizable");
      }),
      propertyOptions(300),
    );
  });

  test("a read of a value nothing wrote, planted anywhere in a sequential history, is never linearizable", () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { maxLength: 30 }), fc.nat(), fc.constantFrom("a", "b"), (steps, at, key) => {
        const history = sequentialRun(steps, true);
        const atMs = history.length === 0 ? 0 : history[at % history.length]!.callMs;
        // Values are made of 1, 2, 3, x and y: no put or append makes this one.
        const planted: KvOperation = { client: "planted", input: { op: "get", key }, output: "impossible", callMs: atMs, returnMs: atMs + 1 };
        expect(checkLinearizability([...history, planted], kvModel).verdict).toBe("not-linearizable");
      }),
      propertyOptions(300),
    );
  });
});

const registerInputArbitrary: fc.Arbitrary<RegisterInput> = fc.oneof(
  fc.record({ op: fc.constant("read" as const) }),
  fc.record({ op: fc.constant("write" as const), value: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ op: fc.constant("cas" as const), from: fc.integer({ min: 0, max: 3 }), to: fc.integer({ min: 0, max: 3 }) }),
);

const registerStepArbitrary = fc.record({
  input: registerInputArbitrary,
  leadMs: fc.integer({ min: 0, max: 25 }),
  lagMs: fc.integer({ min: 0, max: 25 }),
  neverReturned: fc.integer({ min: 0, max: 9 }).map((roll) => roll === 0),
});

/** Runs the inputs one by one on a real register; operation i takes effect at 10·i ms, inside its interval. */
function sequentialRegisterRun(steps: readonly (typeof registerStepArbitrary extends fc.Arbitrary<infer Value> ? Value : never)[]): RegisterOperation[] {
  let value: RegisterValue = null;
  return steps.map((step, index) => {
    const effectMs = 10 * index;
    const { input } = step;
    let output: RegisterValue = null;
    if (input.op === "read") output = value;
    else if (input.op === "write") value = input.value;
    else {
      output = value === input.from;
      if (output) value = input.to;
    }
    const operation = { client: `c${index}`, input, callMs: effectMs - step.leadMs };
    if (step.neverReturned && input.op !== "read") return operation;
    return { ...operation, output, returnMs: effectMs + step.lagMs };
  });
}

describe("linearizability properties (register)", () => {
  test("a history produced by a sequential run is linearizable", () => {
    fc.assert(
      fc.property(fc.array(registerStepArbitrary, { maxLength: 40 }), (steps) => {
        expect(checkLinearizability(sequentialRegisterRun(steps), registerModel).verdict).toBe("linearizable");
      }),
      propertyOptions(300),
    );
  });

  test("a read of a value nothing wrote, planted anywhere, is never linearizable", () => {
    fc.assert(
      fc.property(fc.array(registerStepArbitrary, { maxLength: 30 }), fc.nat(), (steps, at) => {
        const history = sequentialRegisterRun(steps);
        const atMs = history.length === 0 ? 0 : history[at % history.length]!.callMs;
        const planted: RegisterOperation = { client: "planted", input: { op: "read" }, output: 99, callMs: atMs, returnMs: atMs + 1 };
        expect(checkLinearizability([...history, planted], registerModel).verdict).toBe("not-linearizable");
      }),
      propertyOptions(300),
    );
  });
});
