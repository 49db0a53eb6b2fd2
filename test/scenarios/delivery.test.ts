// The delivery scenario: its π and invariant on hand-built states, its durable log's torn-tail
// rule, and each variant's verdict over a small sweep.

import { describe, expect, test } from "vitest";
import { sweep, type ExecutionView } from "../../src/index.ts";
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
