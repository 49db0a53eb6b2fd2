// The shrinker searches from below at most once per proof: when a search found the current
// execution with k faults, it proved that no schedule with fewer than k breaks the invariant at
// these sizes, so the next round does not search levels 0..k-1 again (it used to, spending 886 of
// 7,846 executions in one shrink of idempotency's). The shrunk execution and its lower bound are
// what they were.

import { describe, expect, it, vi } from "vitest";
import wal from "../../scenarios/wal/index.ts";

const searches = vi.hoisted(() => [] as { faultsMax: number; faultsLowerBound: number; found: boolean }[]);

vi.mock("../../src/explore/bounded.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/explore/bounded.ts")>();
  return {
    ...original,
    searchBounded: (request: Parameters<typeof original.searchBounded>[0]) => {
      const found = original.searchBounded(request);
      searches.push({ faultsMax: request.faultsMax, faultsLowerBound: found.faultsLowerBound, found: found.counterexample !== null });
      return found;
    },
  };
});

const { shrink } = await import("../../src/explore/shrink/shrink.ts");

describe("the search from below in a shrink", () => {
  it("is not run again over levels a search that found the current execution proved empty", () => {
    // wal/apply-then-log seed 68 (swarm faults): delta debugging stops at 3 faults; the search from
    // below finds a 2-fault schedule, which proves levels 0 and 1 hold no counterexample.
    const result = shrink({ scenario: wal, variant: "apply-then-log", seed: 68, faults: "swarm" });
    expect(result.shrunk.faultCount).toBe(2);
    expect(result.faultsLowerBound).toBe(2);
    const finding = searches.filter((search) => search.found);
    expect(finding).toHaveLength(1);
    expect(finding[0]!.faultsLowerBound).toBe(2);
    // No search after it looks below 2 faults again.
    const after = searches.slice(searches.indexOf(finding[0]!) + 1);
    expect(after.filter((search) => search.faultsMax < 2)).toEqual([]);
  });
});
