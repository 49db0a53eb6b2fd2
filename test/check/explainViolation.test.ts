// The minimization of a linearizability violation on its own, on hand-built kv histories whose
// 1-minimal failing set is unique (derived in each test's comment): the set comes back in call
// order whatever the input order, wherever the violation sits among harmless operations; a step
// budget is never overrun and cuts the minimization short honestly (what it returns still cannot
// be linearized); a memory budget too small for any search keeps every operation and says so.

import { describe, expect, test } from "vitest";
import { explainViolation } from "../../src/check/explainViolation.ts";
import { checkLinearizability } from "../../src/check/linearizability.ts";
import { kvModel, type KvOperation } from "../../src/check/models/kv.ts";

const put = (value: string, callMs: number, returnMs: number): KvOperation => ({ client: "w", input: { op: "put", key: "x", value }, output: null, callMs, returnMs });
const append = (value: string, callMs: number, returnMs: number): KvOperation => ({ client: "w", input: { op: "append", key: "x", value }, output: null, callMs, returnMs });
const get = (output: string | null, callMs: number, returnMs: number): KvOperation => ({ client: "r", input: { op: "get", key: "x" }, output, callMs, returnMs });

const ROOMY = { stepsMax: 1_000_000, memoryBytesMax: 64 * 1024 * 1024 };

// A put of "1" that returned at 20, then a get at [30, 40] that reads nothing: a stale read. Every
// other operation is consistent with the history around it, and none but the put writes before
// the get returns, so every failing subset holds both and {put "1", stale get} is the only 1-minimal set.
const before = get(null, 0, 5);
const written = put("1", 10, 20);
const stale = get(null, 30, 40);
const after = [put("2", 50, 60), get("2", 70, 80), append("3", 90, 100), get("23", 110, 120), put("4", 130, 140), get("4", 150, 160)];
const middle = [before, written, stale, ...after];

describe("explainViolation", () => {
  test("finds the only 1-minimal set, in call order, whatever order the history comes in", () => {
    for (const history of [middle, [...middle].reverse(), [after[2]!, stale, before, ...after.slice(3), written, after[0]!, after[1]!]]) {
      const explanation = explainViolation(history, kvModel, ROOMY);
      expect(explanation.operations).toEqual([written, stale]);
      expect(explanation.operations[0]).toBe(written);
      expect(explanation.cutShortBy).toBeUndefined();
      expect(explanation.steps).toBeGreaterThan(0);
    }
  });

  test("finds it at the start, in the middle and at the end of the history", () => {
    // The same stale read moved in time: harmless gets of the initial null before it, harmless puts and gets after it.
    const prefix = [get(null, 0, 1), get(null, 2, 3), get(null, 4, 5)];
    const suffix = [put("5", 100, 110), get("5", 120, 130), append("6", 140, 150), get("56", 160, 170)];
    const atStart = [put("1", 10, 20), get(null, 30, 40), ...suffix];
    const atEnd = [...prefix, ...suffix.map((operation) => ({ ...operation, callMs: operation.callMs - 90, returnMs: operation.returnMs! - 90 })), put("7", 200, 210), get("56", 220, 230)];
    expect(explainViolation(atStart, kvModel, ROOMY).operations).toEqual(atStart.slice(0, 2));
    // At the end: "56" read after put "7" returned. The earlier put "5" can be relaxed (it may take
    // effect before the append), but the append cannot: relaxed, it and put "5" could both follow
    // put "7" and spell "56". So {append "6", put "7", get "56"}.
    expect(explainViolation(atEnd, kvModel, ROOMY).operations).toEqual([atEnd[5], ...atEnd.slice(-2)]);
    const both = [...prefix, ...atStart];
    expect(explainViolation(both, kvModel, ROOMY).operations).toEqual(atStart.slice(0, 2));
  });

  test("a single impossible read is a set of one", () => {
    // "9" is never written: that get fails alone, whatever the others did.
    const history = [put("1", 0, 10), get("1", 20, 30), get("9", 40, 50), put("2", 60, 70), get("2", 80, 90)];
    expect(explainViolation(history, kvModel, ROOMY).operations).toEqual([history[2]]);
  });

  test("an operation that never returned still counts for a set that relaxes everything returned before its call", () => {
    // x puts "0" by 10; b reads "1" by 40, which only the put of "1" called at 35 (never returned) can
    // explain; c then reads "0". Relaxing the pending put changes nothing (it has no result), so it is
    // relaxed; x, b and c are each needed (relaxed, x could follow b; without b nothing orders "1"
    // before c; without c nothing is wrong). Checking "x relaxed" must keep the pending put, though
    // every relaxed operation returned before it was called: without it b would look impossible.
    const x = put("0", 0, 10);
    const b = get("1", 20, 40);
    const pending: KvOperation = { client: "p", input: { op: "put", key: "x", value: "1" }, callMs: 35 };
    const c = get("0", 50, 60);
    expect(explainViolation([x, b, pending, c], kvModel, ROOMY).operations).toEqual([x, b, c]);
  });

  test("never takes more steps than its budget; cut short, it says so and its set still cannot be linearized", () => {
    const full = explainViolation(middle, kvModel, ROOMY);
    expect(full.steps).toBeGreaterThan(2);
    for (let stepsMax = 0; stepsMax <= full.steps + 2; stepsMax++) {
      const explanation = explainViolation(middle, kvModel, { ...ROOMY, stepsMax });
      expect(explanation.steps).toBeLessThanOrEqual(stepsMax);
      expect(checkLinearizability(explanation.operations, kvModel, { explain: false }).verdict).toBe("not-linearizable");
      if (stepsMax < full.steps) {
        expect(explanation.cutShortBy).toBe("steps");
        expect(explanation.operations.length).toBeGreaterThanOrEqual(2);
      } else {
        expect(explanation).toEqual(full);
      }
    }
  });

  test("with no steps at all, every operation is kept and the set is marked cut short", () => {
    const explanation = explainViolation(middle, kvModel, { ...ROOMY, stepsMax: 0 });
    expect(explanation).toEqual({ operations: middle, cutShortBy: "steps", steps: 0 });
  });

  test("when no search fits the memory budget, nothing can be relaxed and the set is marked cut short by memory", () => {
    const explanation = explainViolation(middle, kvModel, { stepsMax: 1_000_000, memoryBytesMax: 1 });
    expect(explanation.cutShortBy).toBe("memory");
    expect(explanation.operations).toEqual(middle);
  });
});
