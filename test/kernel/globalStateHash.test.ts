// The global state's hash as the explorer reads it (DeliveryChoice.stateHash, kernel/stateHash.ts),
// taken at the first delivery-order point of small executions: states that differ in a node's
// state, an in-flight message or a cancelled timer hash apart; states reached by sends or
// cancellations in another order, equal in everything the future depends on, hash equal.

import { describe, expect, test } from "vitest";
import { defineNode, defineScenario, execute, type Json, type NodeContext } from "../../src/index.ts";
import type { Chooser } from "../../src/core/tape.ts";

/** `a` runs `start` (its state is `initial`); `b` only receives. */
function scenarioOf(initial: Json, start: (ctx: NodeContext) => void) {
  return defineScenario({
    name: "state-hash-fixture",
    description: "",
    variants: [{ name: "v", expect: "holds", description: "" }],
    workload: (): Json => null,
    nodes: () => ({ a: defineNode({ init: () => ({ initial }), start: (_state, ctx) => start(ctx) }), b: defineNode({ init: () => ({}), message: () => {} }) }),
    project: () => null,
  });
}

/** The state hash at the first order point (two or more deliveries in flight). */
function firstStateHash(initial: Json, start: (ctx: NodeContext) => void): string {
  const hashes: string[] = [];
  const chooser: Chooser = { chance: () => false, below: () => 0, order: (_question, choice) => (hashes.push(choice.stateHash()), 0) };
  execute({ scenario: scenarioOf(initial, start), variant: "v", seed: 1, faults: "none", chooser });
  expect(hashes.length).toBeGreaterThan(0);
  return hashes[0]!;
}

const sendTwo = (first: Json, second: Json) => (ctx: NodeContext) => {
  ctx.send("b", first);
  ctx.send("b", second);
};

describe("the global state's hash", () => {
  test("tells apart a node's state, and the messages in flight", () => {
    const base = firstStateHash(1, sendTwo("x", "y"));
    expect(firstStateHash(2, sendTwo("x", "y"))).not.toBe(base);
    expect(firstStateHash(1, sendTwo("x", "z"))).not.toBe(base);
    expect(firstStateHash(1, sendTwo("x", "y"))).toBe(base);
  });

  test("in-flight messages are a multiset: sent in another order, the same state", () => {
    expect(firstStateHash(1, sendTwo("y", "x"))).toBe(firstStateHash(1, sendTwo("x", "y")));
  });

  test("a cancelled timer counts, whatever order the cancellations came in", () => {
    const withTimers = (cancel: readonly number[]) => (ctx: NodeContext) => {
      const ids = [ctx.setTimer("one", 50), ctx.setTimer("two", 60)];
      for (const index of cancel) ctx.cancelTimer(ids[index]!);
      sendTwo("x", "y")(ctx);
    };
    const none = firstStateHash(1, withTimers([]));
    const both = firstStateHash(1, withTimers([0, 1]));
    expect(firstStateHash(1, withTimers([0]))).not.toBe(none);
    expect(both).not.toBe(none);
    expect(firstStateHash(1, withTimers([1, 0]))).toBe(both);
  });

  test("a draw from the node's random stream counts, even when the value drawn is not kept", () => {
    const base = firstStateHash(1, sendTwo("x", "y"));
    expect(firstStateHash(1, (ctx) => (ctx.random.next(), sendTwo("x", "y")(ctx)))).not.toBe(base);
  });

  test("the notes so far and the pending timers count", () => {
    const base = firstStateHash(1, sendTwo("x", "y"));
    expect(firstStateHash(1, (ctx) => (ctx.note("seen", 1), sendTwo("x", "y")(ctx)))).not.toBe(base);
    const timer = (name: string, delayMs: number) => (ctx: NodeContext) => (ctx.setTimer(name, delayMs), sendTwo("x", "y")(ctx));
    const one = firstStateHash(1, timer("one", 50));
    expect(one).not.toBe(base);
    expect(firstStateHash(1, timer("two", 50))).not.toBe(one);
    expect(firstStateHash(1, timer("one", 60))).not.toBe(one);
  });
});
