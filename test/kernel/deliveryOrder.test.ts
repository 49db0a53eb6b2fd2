// The delivery-order choice seen from a chooser (kernel/simulation.ts behind the Chooser interface
// of core/tape.ts): which deliveries count as ready (those due before the next other event, copies
// of one message due together counted once, earliest first), when the choice is offered at all, and
// that the index chosen is the message delivered, now.

import { describe, expect, test } from "vitest";
import { defineNode, defineScenario, execute, type Json } from "../../src/index.ts";
import type { Chooser, DeliveryChoice, Question } from "../../src/core/tape.ts";
import { NAMED_PROFILES, type FaultProfile } from "../../src/world/faults.ts";

/**
 * `a` sends b the messages 1..count at start (message n delayed by `delayOf(n)` through the tape
 * below) and sets a timer at `timerMs`; b notes each message it is handed.
 */
function sender(count: number, timerMs?: number) {
  return defineScenario({
    name: "order-fixture",
    description: "",
    variants: [{ name: "v", expect: "holds", description: "" }],
    workload: (): Json => null,
    nodes: () => ({
      a: defineNode({
        init: () => ({}),
        start: (_state, ctx) => {
          if (timerMs !== undefined) ctx.setTimer("mid", timerMs);
          for (let n = 1; n <= count; n++) ctx.send("b", n);
        },
        timer: (_state, ctx) => ctx.note("timer"),
      }),
      b: defineNode({ init: () => ({}), message: (_state, ctx, _from, message) => ctx.note("got", message) }),
    }),
    project: (view) => view.notes("got").map((note) => note.value),
  });
}

/** A chooser that answers `picks` in turn at order points (0 past them), delays message n by `extraMs[n]` and duplicates those in `duplicated`, and records each ready count. */
function ordering(picks: number[], extraMs: Record<number, number> = {}, duplicated: number[] = []) {
  const readyCounts: number[] = [];
  const chooser: Chooser = {
    chance: (question: Question) => ("n" in question && question.kind === "delay" ? extraMs[question.n] !== undefined : "n" in question && question.kind === "duplicate" && duplicated.includes(question.n)),
    below: (question: Question) => ("n" in question && question.kind === "delay-ms" ? extraMs[question.n]! - 1 : 0),
    order: (_question, choice: DeliveryChoice) => {
      readyCounts.push(choice.readyCount());
      return picks[readyCounts.length - 1] ?? 0;
    },
  };
  return { chooser, readyCounts };
}

const FAULTY: FaultProfile = { ...NAMED_PROFILES.none!, name: "order", latencyMs: 5, delayProbability: 0.5, duplicateProbability: 0.5, delayMaxMs: 100 };

describe("the delivery-order choice", () => {
  test("is offered only while two or more deliveries are in flight, and index 0 keeps the heap's order", () => {
    const { chooser, readyCounts } = ordering([]);
    const result = execute({ scenario: sender(3), variant: "v", seed: 1, faults: FAULTY, chooser });
    expect(result.logical).toEqual([1, 2, 3]);
    expect(readyCounts).toEqual([3, 2]);
  });

  test("the index chosen is delivered now, ahead of the earlier ones, and the others keep their order", () => {
    const { chooser } = ordering([2, 1]);
    expect(execute({ scenario: sender(3), variant: "v", seed: 1, faults: FAULTY, chooser }).logical).toEqual([3, 2, 1]);
    // A message due later, chosen first, runs at its own time; the earlier one, left behind, runs then too: time never goes back.
    const later = ordering([1], { 2: 20 });
    const result = execute({ scenario: sender(2), variant: "v", seed: 1, faults: FAULTY, chooser: later.chooser });
    expect(result.logical).toEqual([2, 1]);
    expect(result.trace.filter((event) => event.kind === "deliver").map((event) => event.timeMs)).toEqual([25, 25]);
  });

  test("counts only the deliveries due before the next other event, earliest first", () => {
    // Messages 1 and 2 at 5 ms, 3 at 25 ms; a's timer at 10 ms comes between them.
    const { chooser, readyCounts } = ordering([1, 0], { 3: 20 });
    const result = execute({ scenario: sender(3, 10), variant: "v", seed: 1, faults: FAULTY, chooser });
    // At 5 ms: 1 and 2 are ready (3 is due after the timer); then 1 alone.
    expect(readyCounts).toEqual([2, 1]);
    expect(result.logical).toEqual([2, 1, 3]);
    // Without the timer all three are ready at the first point; index 2 is the latest (message 3).
    const free = ordering([2], { 3: 20 });
    expect(execute({ scenario: sender(3), variant: "v", seed: 1, faults: FAULTY, chooser: free.chooser }).logical).toEqual([3, 1, 2]);
    expect(free.readyCounts[0]).toBe(3);
  });

  test("copies of one message due at the same time count once; a copy due later is a delivery of its own", () => {
    // Message 1 is duplicated with no extra delay: both copies are due at 5 ms, beside message 2.
    const together = ordering([], {}, [1]);
    const result = execute({ scenario: sender(2), variant: "v", seed: 1, faults: FAULTY, chooser: together.chooser });
    expect(result.logical).toEqual([1, 1, 2]);
    expect(together.readyCounts[0]).toBe(2);
  });

  test("a seeded chooser is never asked, whatever is in flight", () => {
    const result = execute({ scenario: sender(3), variant: "v", seed: 1, faults: "none" });
    expect(result.logical).toEqual([1, 2, 3]);
  });
});
