// A chooser's answer to a delivery-order question (kernel/simulation.ts nextEvent): an index into
// the ready deliveries it was shown, asked for by readyCount() first. Anything else is a bug in
// the chooser (an explorer of dsim's own), stopped at once with what was picked, never a delivery
// made up or a silent fallback to the earliest.

import { describe, expect, test } from "vitest";
import { defineNode, defineScenario, execute } from "../../src/index.ts";
import type { Chooser } from "../../src/core/tape.ts";

/** `a` sends b two messages at start: one order point with two ready deliveries. */
const twoInFlight = defineScenario({
  name: "order-answers",
  description: "",
  variants: [{ name: "v", expect: "holds", description: "" }],
  workload: () => null,
  nodes: () => ({
    a: defineNode({ init: () => ({}), start: (_state, ctx) => (ctx.send("b", "x"), ctx.send("b", "y")) }),
    b: defineNode({ init: () => ({ got: [] as string[] }), message: (state, _ctx, _from, message) => void state.got.push(message as string) }),
  }),
  project: () => null,
});

function runAnswering(answer: (readyCount: () => number) => number) {
  const chooser: Chooser = { chance: () => false, below: () => 0, order: (_question, choice) => answer(() => choice.readyCount()) };
  return execute({ scenario: twoInFlight, variant: "v", seed: 1, faults: "none", chooser });
}

describe("a delivery-order answer", () => {
  test("an index among the ready deliveries it was shown is delivered", () => {
    const result = runAnswering((readyCount) => (readyCount() === 2 ? 1 : 0));
    const received = result.trace.filter((event) => event.kind === "deliver").map((event) => ("message" in event ? event.message : undefined));
    expect(received).toEqual(["y", "x"]);
  });

  test.each([
    ["past the last ready delivery", (readyCount: () => number) => readyCount(), /picked delivery 2 of 2/],
    ["negative", (readyCount: () => number) => (readyCount(), -1), /picked delivery -1 of 2/],
    ["not a whole number", (readyCount: () => number) => (readyCount(), 0.5), /picked delivery 0.5 of 2/],
    ["without asking how many are ready", () => 1, /picked delivery 1 of unasked/],
  ])("%s is a bug in the chooser", (_what, answer, message) => {
    expect(() => runAnswering(answer)).toThrow(message);
  });
});
