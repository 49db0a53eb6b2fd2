// The Shrinker's state on a small hand-made scenario driven by hand-built tapes: which invariant it
// keeps broken (firstInvariant), what its constructor refuses (a holding seed, an invariant the
// execution does not break, a tape that does not replay), what `keeps` accepts (never more events
// than the original), how `offer` and `consider` keep only smaller candidates, and its budgets
// (executions and events counted, `exhausted` at either limit, `left`, `spend`, nothing run once spent).

import { describe, expect, test } from "vitest";
import { DsimBug, UsageError } from "../../src/core/errors.ts";
import { Tape, type Decision } from "../../src/core/tape.ts";
import { defineNode, defineScenario } from "../../src/index.ts";
import { computeReference } from "../../src/execution/execute.ts";
import { firstInvariant, Shrinker, SHRINK_EVENTS_TOTAL_MAX, SHRINK_EXECUTIONS_MAX } from "../../src/explore/shrink/shrinker.ts";
import { NAMED_PROFILES } from "../../src/world/faults.ts";

const LOSSY = { ...NAMED_PROFILES.none!, name: "lossy", dropProbability: 0.5 };

/**
 * The sender sends 1, 2 and 3 to the receiver, no retry. Losing any of them breaks `all-arrived`
 * (and the logical trace, the sum); losing 1 also breaks `one-arrived`.
 */
const threeMessages = defineScenario({
  name: "three-messages",
  description: "",
  variants: [{ name: "v", expect: "diverges", description: "" }],
  workload: () => null,
  nodes: () => ({
    sender: defineNode({ init: () => null, start: (_state, ctx) => [1, 2, 3].forEach((value) => ctx.send("receiver", value)) }),
    receiver: defineNode<{ seen: number[] }>({
      init: () => ({ seen: [] }),
      message: (state, _ctx, _from, message) => void state.seen.push(message as number),
    }),
  }),
  project: (view) => view.state<{ seen: number[] }>("receiver").seen.reduce((sum, value) => sum + value, 0),
  invariants: [
    { name: "all-arrived", description: "", check: (view) => (view.state<{ seen: number[] }>("receiver").seen.length < 3 ? "a message was lost" : undefined) },
    { name: "one-arrived", description: "", check: (view) => (view.state<{ seen: number[] }>("receiver").seen.includes(1) ? undefined : "1 was lost") },
  ],
});

const drop = (n: number): Decision => ({ kind: "drop", from: "sender", to: "receiver", n, value: 1 });
const request = (drops: readonly number[], more: object = {}) => ({ scenario: threeMessages, variant: "v", seed: 1, faults: LOSSY, schedule: new Tape(drops.map(drop)), ...more });

describe("firstInvariant", () => {
  test("a named invariant before logical-trace; logical-trace when it is all; nothing when nothing broke", () => {
    const violation = (invariant: string) => ({ invariant, message: "" });
    expect(firstInvariant([violation("logical-trace"), violation("one-arrived"), violation("all-arrived")])).toBe("one-arrived");
    expect(firstInvariant([violation("logical-trace")])).toBe("logical-trace");
    expect(firstInvariant([])).toBeUndefined();
  });
});

describe("the Shrinker's constructor", () => {
  test("keeps the named invariant, defaulting to the first named one broken", () => {
    expect(new Shrinker(request([1, 2])).invariant).toBe("all-arrived");
    expect(new Shrinker(request([1, 2], { invariant: "one-arrived" })).invariant).toBe("one-arrived");
  });

  test("refuses a seed that holds", () => {
    expect(() => new Shrinker(request([]))).toThrow(UsageError);
    expect(() => new Shrinker(request([]))).toThrow(/holds: nothing to shrink/);
  });

  test("refuses an invariant the execution does not break, naming the ones it does", () => {
    expect(() => new Shrinker(request([2], { invariant: "one-arrived" }))).toThrow(UsageError);
    expect(() => new Shrinker(request([2], { invariant: "one-arrived" }))).toThrow("three-messages/v seed 1 does not break 'one-arrived' (it breaks: logical-trace, all-arrived)");
  });

  test("refuses a recorded tape that does not replay to the same physical trace", () => {
    // Each execution sends one more than the last (module state, which no guard sees): the
    // original differs from its reference, and its replay differs from it.
    let runs = 0;
    const drifting = defineScenario({
      name: "drifting",
      description: "",
      variants: [{ name: "v", expect: "diverges", description: "" }],
      workload: () => null,
      nodes: () => ({
        sender: defineNode({ init: () => null, start: (_state, ctx) => ctx.send("receiver", ++runs) }),
        receiver: defineNode<{ got: number }>({ init: () => ({ got: 0 }), message: (state, _ctx, _from, message) => void (state.got = message as number) }),
      }),
      project: (view) => view.state<{ got: number }>("receiver").got,
    });
    expect(() => new Shrinker({ scenario: drifting, variant: "v", seed: 1, faults: "none" })).toThrow(DsimBug);
    expect(() => new Shrinker({ scenario: drifting, variant: "v", seed: 1, faults: "none" })).toThrow(/replaying the recorded tape changed the physical hash \(\w+ → \w+\)/);
  });

  test("counts the original execution and its replay, with their events", () => {
    const shrinker = new Shrinker(request([1, 2]));
    expect(shrinker.executions).toBe(2);
    expect(shrinker.events).toBe(2 * shrinker.original.result.events);
    expect(shrinker.original.result.events).toBeGreaterThan(0);
    expect(shrinker.current).toBe(shrinker.original);
  });

  test("the budgets are the request's, else the defaults", () => {
    const given = new Shrinker(request([1], { executionsMax: 7, eventsTotalMax: 900 }));
    expect([given.executionsMax, given.eventsTotalMax]).toEqual([7, 900]);
    const defaults = new Shrinker(request([1]));
    expect([defaults.executionsMax, defaults.eventsTotalMax]).toEqual([SHRINK_EXECUTIONS_MAX, SHRINK_EVENTS_TOTAL_MAX]);
  });
});

describe("keeps, offer and consider", () => {
  test("keeps the failure only with the invariant broken and no more events than the original", () => {
    const shrinker = new Shrinker(request([1, 2]));
    const original = shrinker.original.result;
    expect(shrinker.keeps(original)).toBe(true);
    expect(shrinker.keeps({ ...original, events: original.events - 1 })).toBe(true);
    expect(shrinker.keeps({ ...original, events: original.events + 1 })).toBe(false);
    expect(shrinker.keeps({ ...original, violations: original.violations.filter((violation) => violation.invariant !== "all-arrived") })).toBe(false);
  });

  test("offer runs a tape and keeps it only when it still fails and is smaller", () => {
    const shrinker = new Shrinker(request([1, 2]));
    const before = { executions: shrinker.executions, events: shrinker.events };
    // One drop instead of two: still a lost message, one fault fewer.
    expect(shrinker.offer(new Tape([drop(2)]))).toBe(true);
    expect(shrinker.current.tape.decisions()).toEqual([drop(2)]);
    expect(shrinker.executions).toBe(before.executions + 1);
    expect(shrinker.events).toBe(before.events + shrinker.current.result.events);
    // Also one drop, but later on the channel: not smaller.
    expect(shrinker.offer(new Tape([drop(3)]))).toBe(false);
    // No drop: nothing broken.
    expect(shrinker.offer(new Tape())).toBe(false);
    expect(shrinker.current.tape.decisions()).toEqual([drop(2)]);
  });

  test("consider refuses a candidate that is not smaller, and one that does not keep the failure", () => {
    const shrinker = new Shrinker(request([2]));
    expect(shrinker.consider(shrinker.original)).toBe(false);
    const holding = new Shrinker(request([1])).original;
    expect(shrinker.consider({ ...holding, result: { ...holding.result, violations: [] } })).toBe(false);
    expect(shrinker.current).toBe(shrinker.original);
  });

  test("an error that is not the scenario's own ends the shrink instead of being skipped", () => {
    const shrinker = new Shrinker(request([1]));
    expect(() => shrinker.offer(new Tape(), { undeclared: 1 })).toThrow(UsageError);
  });

  test("the reference at some sizes is computed once, and is the fault-free execution's", () => {
    const shrinker = new Shrinker(request([1]));
    const reference = shrinker.referenceAt({});
    expect(shrinker.referenceAt({})).toBe(reference);
    expect(reference).toEqual(computeReference(shrinker.specAt({})));
  });
});

describe("the budgets", () => {
  test("exhausted when the executions reach their limit (not only past it); nothing runs then", () => {
    const shrinker = new Shrinker(request([1, 2], { executionsMax: 4 }));
    expect(shrinker.exhausted).toBe(false);
    expect(shrinker.left).toEqual({ executions: 2, events: SHRINK_EVENTS_TOTAL_MAX - shrinker.events });
    shrinker.spend(1, 0);
    expect(shrinker.exhausted).toBe(false);
    expect(shrinker.left.executions).toBe(1);
    shrinker.spend(1, 0);
    expect(shrinker.executions).toBe(4);
    expect(shrinker.exhausted).toBe(true);
    expect(shrinker.left.executions).toBe(0);
    // A tape that would be kept is not even run.
    expect(shrinker.offer(new Tape([drop(2)]))).toBe(false);
    expect(shrinker.executions).toBe(4);
    expect(shrinker.current).toBe(shrinker.original);
  });

  test("exhausted when the events reach their limit, with executions to spare", () => {
    const shrinker = new Shrinker(request([1, 2], { eventsTotalMax: 1_000 }));
    const spent = shrinker.events;
    shrinker.spend(3, 1_000 - spent - 1);
    expect(shrinker.executions).toBe(5);
    expect(shrinker.left).toEqual({ executions: SHRINK_EXECUTIONS_MAX - 5, events: 1 });
    expect(shrinker.exhausted).toBe(false);
    shrinker.spend(0, 1);
    expect(shrinker.events).toBe(1_000);
    expect(shrinker.exhausted).toBe(true);
    expect(shrinker.left.events).toBe(0);
    // Spent past the limit, what is left is none, not a negative budget.
    shrinker.spend(0, 50);
    expect(shrinker.left.events).toBe(0);
  });
});
