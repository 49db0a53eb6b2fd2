// Properties of the linearizability checker (fast-check): every history recorded from a
// sequential run is linearizable, whatever the overlaps around each operation's moment of effect;
// swapping the results of two non-overlapping reads that saw different values never is.

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { checkLinearizability, kvModel, type KvInput, type KvOperation } from "../../src/index.ts";

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
      { numRuns: 300 },
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
      { numRuns: 300 },
    );
  });
});
