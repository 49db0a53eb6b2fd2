// The delivery scenario: its π and invariant on hand-built states, its durable log's torn-tail
// rule, each variant's verdict over a small sweep, and the direction of each broken variant's
// error: loss takes the value below the reference, a counted duplicate above it (each checked
// against what the physical trace delivered, not against π).

import { describe, expect, test } from "vitest";
import { execute, NAMED_PROFILES, sweep, type ExecutionView, type ExecutionResult } from "../../src/index.ts";
import delivery, { foldValue, readLog } from "../../scenarios/delivery.ts";

function viewWith(received: number[], variant = "retry-set"): ExecutionView<{ messages: readonly number[] }> {
  return {
    variant,
    workload: { messages: [1, 2, 3, 4, 5] },
    trace: [],
    nodes: {},
    endedAtMs: 0,
    state: <State>() => ({ received }) as State,
    notes: () => [],
  };
}

describe("delivery", () => {
  test("π folds the receiver's log by the variant's rule", () => {
    expect(foldValue("append", [3, 1, 3])).toEqual([3, 1, 3]);
    expect(foldValue("sum", [3, 1, 3])).toBe(7);
    expect(foldValue("set", [3, 1, 3])).toEqual([1, 3]);
    expect(delivery.project(viewWith([5, 4, 4]))).toEqual({ value: [4, 5] });
  });

  test("the only-sent-values invariant fails on a value that was never sent", () => {
    const invariant = delivery.invariants!.find((candidate) => candidate.name === "only-sent-values")!;
    expect(invariant.check(viewWith([1, 2]))).toBeUndefined();
    expect(invariant.check(viewWith([1, 12]))).toBe("received values that were never sent: 12");
  });

  test("a torn last line of the log is discarded: it was never acknowledged", () => {
    expect(readLog(undefined)).toEqual([]);
    expect(readLog("1\n2\n")).toEqual([1, 2]);
    expect(readLog("1\n2\n3")).toEqual([1, 2]);
  });

  test.each([
    ["retry-set", 0],
    ["append", 1],
    ["sum", 1],
    ["set", 1],
    ["retry-sum", 1],
  ])("variant %s over 300 swarm seeds", (variant, diverges) => {
    const result = sweep({ scenario: delivery, variant, seedFrom: 0, seedCount: 300, faults: "swarm" });
    if (diverges) {
      expect(result.divergences).toBeGreaterThan(0);
      expect(result.firstDivergence!.violations.map((violation) => violation.invariant)).toContain("logical-trace");
    } else {
      expect(result.divergences).toBe(0);
      expect(result.logicalTraces).toBe(1);
      expect(result.physicalTraces).toBe(300);
    }
  });
});

/** The values the receiver was handed, one per delivery, read from the physical trace. */
function deliveredValues(result: ExecutionResult): number[] {
  return result.trace.flatMap((event) => (event.kind === "deliver" && event.node === "receiver" ? [(event.message as { value: number }).value] : []));
}

const REFERENCE_SUM = 1 + 2 + 3 + 4 + 5;
const dropsOnly = { ...NAMED_PROFILES.none!, name: "drops", dropProbability: 0.3 };
const duplicatesOnly = { ...NAMED_PROFILES.none!, name: "duplicates", duplicateProbability: 0.3 };

describe("the direction of each broken variant's error", () => {
  const runs = (variant: string, faults: Parameters<typeof execute>[0]["faults"]) =>
    Array.from({ length: 60 }, (_, seed) => execute({ scenario: delivery, variant, seed, faults })).filter((result) => result.verdict === "diverges");

  test("sum under loss alone: below the reference, by exactly what was never delivered", () => {
    const diverged = runs("sum", dropsOnly);
    expect(diverged.length).toBeGreaterThan(10);
    for (const result of diverged) {
      const value = (result.logical as { value: number }).value;
      expect(value).toBeLessThan(REFERENCE_SUM);
      expect(value).toBe(deliveredValues(result).reduce((total, next) => total + next, 0));
    }
  });

  test("sum under duplicates alone: above the reference, by exactly the copies delivered twice", () => {
    const diverged = runs("sum", duplicatesOnly);
    expect(diverged.length).toBeGreaterThan(10);
    for (const result of diverged) {
      const value = (result.logical as { value: number }).value;
      expect(value).toBeGreaterThan(REFERENCE_SUM);
      expect(value).toBe(deliveredValues(result).reduce((total, next) => total + next, 0));
    }
  });

  test("retry-sum loses nothing and counts retries: never below the reference", () => {
    const diverged = runs("retry-sum", "swarm");
    expect(diverged.length).toBeGreaterThan(10);
    for (const result of diverged) expect((result.logical as { value: number }).value).toBeGreaterThan(REFERENCE_SUM);
  });

  test("set never counts twice: a diverging set is missing values, never holds extra ones", () => {
    const diverged = runs("set", "swarm");
    expect(diverged.length).toBeGreaterThan(10);
    for (const result of diverged) {
      const value = (result.logical as { value: number[] }).value;
      expect(value.length).toBeLessThan(5);
      // Each value once, and only values that were delivered (a crash point between a delivery and
      // its fsync may lose one that was delivered: missing, never extra).
      expect(value).toEqual([...new Set(value)].sort((a, b) => a - b));
      const delivered = new Set(deliveredValues(result));
      for (const element of value) expect(delivered.has(element), `value ${element}`).toBe(true);
    }
  });
});
