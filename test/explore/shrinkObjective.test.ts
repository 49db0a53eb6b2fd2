// The shrinker's objective on hand-built tapes: what candidateOf measures (faults, where they sit,
// how far magnitudes are from their gentlest answer, free decisions, sizes), the order `smaller`
// compares those measures in (the first field that differs decides; equal is not smaller), and
// inAskedOrder (the tape's decisions that pass the filter, in the order the execution asked them).

import { describe, expect, test } from "vitest";
import { Tape, type Decision } from "../../src/core/tape.ts";
import type { ExecutionResult } from "../../src/execution/execute.ts";
import type { Asked } from "../../src/explore/bounded.ts";
import { candidateOf, gentlestValue, inAskedOrder, smaller, type ShrinkCandidate } from "../../src/explore/shrink/candidate.ts";

/** candidateOf and smaller read only the sizes and the event count of a result. */
function resultWith(sizes: Record<string, number>, events = 10): ExecutionResult {
  return { sizes, events } as unknown as ExecutionResult;
}

const drop = (n: number): Decision => ({ kind: "drop", from: "a", to: "b", n, value: 1 });
const crash = (tick: number): Decision => ({ kind: "crash", tick, node: "a", value: 1 });
const skewMs = (tick: number, value: number): Decision => ({ kind: "skew-ms", tick, value });
const delayMs = (n: number, value: number): Decision => ({ kind: "delay-ms", from: "a", to: "b", n, value });
const latency = (n: number, value: number): Decision => ({ kind: "latency", from: "a", to: "b", n, value });
const order = (point: number, value: number): Decision => ({ kind: "order", point, value });

describe("candidateOf's measures", () => {
  test("faults are counted, and their positions (message n, fault tick) summed", () => {
    const candidate = candidateOf(new Tape([drop(3), crash(7)]), [], resultWith({}));
    expect(candidate).toMatchObject({ faultCount: 2, positionSum: 3 + 7, freeCount: 0, magnitudeSum: 0, sizeSum: 0 });
  });

  test("free decisions (latency jitter, order) are counted as free, never as magnitudes or faults", () => {
    const candidate = candidateOf(new Tape([latency(1, 4), order(2, 1)]), [], resultWith({}));
    expect(candidate).toMatchObject({ faultCount: 0, freeCount: 2, magnitudeSum: 0, positionSum: 0 });
  });

  test("a length magnitude is as far from its gentlest answer as its value", () => {
    const asked: Asked[] = [{ decision: delayMs(1, 6), options: 10 }];
    const candidate = candidateOf(new Tape([delayMs(1, 6)]), asked, resultWith({}));
    // A magnitude is no fault and no free decision.
    expect(candidate).toMatchObject({ faultCount: 0, freeCount: 0, magnitudeSum: 6, positionSum: 0 });
  });

  test("a signed magnitude's gentlest answer is the middle of its range: distances count both ways", () => {
    // skew-ms with 5 answers (0..4): the middle, 2, is no skew; 4 and 0 are both 2 away from it.
    const tape = new Tape([skewMs(1, 4), skewMs(2, 1)]);
    const asked: Asked[] = [
      { decision: skewMs(1, 4), options: 5 },
      { decision: skewMs(2, 1), options: 5 },
    ];
    expect(candidateOf(tape, asked, resultWith({})).magnitudeSum).toBe(2 + 1);
  });

  test("a magnitude the execution did not ask counts from 0", () => {
    // Not in `asked`: no range is known, so its distance is its value.
    expect(candidateOf(new Tape([skewMs(1, 3)]), [], resultWith({})).magnitudeSum).toBe(3);
  });

  test("sizes are summed", () => {
    expect(candidateOf(new Tape(), [], resultWith({ clients: 2, operations: 5 })).sizeSum).toBe(7);
    expect(candidateOf(new Tape(), [], resultWith({})).sizeSum).toBe(0);
  });
});

describe("gentlestValue", () => {
  test("0 for a length magnitude whatever its range", () => {
    expect(gentlestValue(delayMs(1, 3), 9)).toBe(0);
  });

  test("the middle for a signed one, rounding down on an even count", () => {
    expect(gentlestValue(skewMs(0, 1), 5)).toBe(2);
    expect(gentlestValue(skewMs(0, 1), 4)).toBe(1);
    expect(gentlestValue(skewMs(0, 1), 1)).toBe(0);
    expect(gentlestValue(skewMs(0, 1), 0)).toBe(0);
  });
});

/** A candidate with exactly these measures (the tape is empty: smaller reads only the measures). */
function measured(fields: Partial<Record<"faultCount" | "events" | "freeCount" | "sizeSum" | "magnitudeSum" | "positionSum", number>>): ShrinkCandidate {
  const { events = 10, ...rest } = fields;
  return { ...candidateOf(new Tape(), [], resultWith({}, events)), faultCount: 0, freeCount: 0, sizeSum: 0, magnitudeSum: 0, positionSum: 0, ...rest };
}

describe("smaller: the measures compared in order", () => {
  const ORDER = ["faultCount", "events", "freeCount", "sizeSum", "magnitudeSum", "positionSum"] as const;

  test("equal is not smaller", () => {
    const candidate = measured({ faultCount: 1, events: 5, freeCount: 1, sizeSum: 1, magnitudeSum: 1, positionSum: 1 });
    expect(smaller(candidate, candidate)).toBe(false);
    expect(smaller(measured({}), measured({}))).toBe(false);
  });

  for (const [index, field] of ORDER.entries()) {
    test(`with the fields before it equal, ${field} decides, whatever the fields after it say`, () => {
      const base = Object.fromEntries(ORDER.slice(0, index).map((name) => [name, 3]));
      const after = Object.fromEntries(ORDER.slice(index + 1).map((name) => [name, 9]));
      const afterLess = Object.fromEntries(ORDER.slice(index + 1).map((name) => [name, 1]));
      const less = measured({ ...base, [field]: 2, ...after });
      const more = measured({ ...base, [field]: 4, ...afterLess });
      expect(smaller(less, more)).toBe(true);
      expect(smaller(more, less)).toBe(false);
    });
  }
});

describe("inAskedOrder", () => {
  test("the tape's decisions that pass the filter, in the order asked; a decision not on the tape is left out", () => {
    const tape = new Tape([drop(1), drop(2), latency(3, 2), crash(4)]);
    const asked: Asked[] = [
      { decision: crash(4), options: 2 },
      { decision: latency(3, 2), options: 5 },
      { decision: drop(5), options: 2 }, // asked, but answered no: not on the tape
      { decision: drop(2), options: 2 },
      { decision: drop(1), options: 2 },
    ];
    const candidate = candidateOf(tape, asked, resultWith({}));
    expect(inAskedOrder(candidate, () => true)).toEqual([crash(4), latency(3, 2), drop(2), drop(1)]);
    expect(inAskedOrder(candidate, (decision) => decision.kind === "drop")).toEqual([drop(2), drop(1)]);
  });
});
