// The exhaustive explorer against counts derived by hand: the design brief's worked example
// (delivery, 5 messages, drops and reorders, no duplicates, no retries), one more count derived
// below (3 messages with duplicates), and the retrying receivers under duplicates and one drop.

import { describe, expect, it } from "vitest";
import delivery from "../../scenarios/delivery.ts";
import { exploreExhaustively, type ExhaustiveRequest } from "../../src/explore/exhaustive.ts";

function explore(variant: string, options: Omit<ExhaustiveRequest, "scenario" | "variant">) {
  return exploreExhaustively({ scenario: delivery, variant, ...options });
}

function distinctOutcomes(result: ReturnType<typeof explore>): number {
  return new Set(result.outcomes.map((outcome) => outcome.logicalHash)).size;
}

describe("the design brief's worked example: 5 messages, drops and reorders", () => {
  // Σₖ C(5,k)·k! = 1 + 5 + 20 + 60 + 120 + 120 = 326 delivered-and-ordered schedules.
  it.each([
    ["append", 326], // every arrival order of every subset is its own value
    ["sum", 16], // the subset sums of {1..5}: every integer in 0..15
    ["set", 32], // the subsets of {1..5}
  ])("%s: 326 schedules, %i logical outcomes", (variant, outcomes) => {
    const result = explore(variant, {});
    expect(result.schedules).toBe(326);
    expect(distinctOutcomes(result)).toBe(outcomes);
    expect(result.truncatedSchedules).toBe(0);
    expect(result.boundsHit).toEqual([]);
    // Every schedule but the reference's (all delivered, in order for append) diverges.
    const holding = result.outcomes.filter((outcome) => outcome.verdict === "holds");
    expect(holding).toHaveLength(1);
    expect(result.outcomes.reduce((total, outcome) => total + outcome.schedules, 0)).toBe(326);
  });
});

describe("3 messages, drops, reorders and duplicates, no retries (derived by hand)", () => {
  // Each message is dropped (0 copies), delivered (1) or duplicated (2): c ∈ {0,1,2}³. Copies of
  // one message are indistinguishable, so the orders of a choice c are (Σc)! / Π cᵢ!. Summed by
  // total copies m (the coefficient of xᵐ in (1 + x + x²/2)³, times m!):
  //   m=0: 1   m=1: 3   m=2: (3 + 3/2)·2 = 9   m=3: (1 + 6/2)·6 = 24   m=4: (3/4 + 3/2)·24 = 54
  //   m=5: (3/4)·120 = 90   m=6: (1/8)·720 = 90        total 271 schedules.
  // append: each schedule is a distinct word over {1,2,3}: 271 outcomes. sum: c₁ + 2c₂ + 3c₃
  // takes every value in 0..12: 13 outcomes. set: which cᵢ > 0: 8 outcomes.
  it.each([
    ["append", 271],
    ["sum", 13],
    ["set", 8],
  ])("%s: 271 schedules, %i logical outcomes", (variant, outcomes) => {
    const result = explore(variant, { sizes: { messages: 3 }, duplicates: true });
    expect(result.schedules).toBe(271);
    expect(distinctOutcomes(result)).toBe(outcomes);
    expect(result.boundsHit).toEqual([]);
  });

  it("prunes states the set receiver cannot tell apart, without changing the count", () => {
    const set = explore("set", { sizes: { messages: 3 }, duplicates: true });
    const append = explore("append", { sizes: { messages: 3 }, duplicates: true });
    expect(set.distinctStates).toBeLessThan(append.distinctStates);
    expect(set.executions).toBeLessThan(set.schedules);
    expect(set.schedules).toBe(append.schedules);
  });
});

describe("retries until acknowledged, with duplicates and one drop", () => {
  const options = { sizes: { messages: 3 }, dropsMax: 1, duplicates: true, duplicatesMax: 1 };

  it("retry-set: exactly one logical outcome over every schedule", () => {
    const result = explore("retry-set", options);
    expect(result.boundsHit).toEqual([]);
    expect(result.cycles).toBe(0);
    expect(result.schedules).toBeGreaterThan(1000);
    expect(distinctOutcomes(result)).toBe(1);
    expect(result.outcomes[0]!.verdict).toBe("holds");
    expect(result.outcomes[0]!.logical).toEqual({ value: [1, 2, 3] });
  });

  it("retry-sum: more than one, and each divergent one comes with the schedule that reaches it", () => {
    const result = explore("retry-sum", options);
    expect(result.boundsHit).toEqual([]);
    expect(distinctOutcomes(result)).toBeGreaterThan(1);
    const divergent = result.outcomes.filter((outcome) => outcome.verdict === "diverges");
    expect(divergent.length).toBeGreaterThan(0);
    for (const outcome of divergent) expect(outcome.schedule.size).toBeGreaterThan(0);
  });
});

describe("bounds", () => {
  it("reports max-states when the states outgrow it, and counts no truncated schedule as complete", () => {
    const result = explore("append", { statesMax: 50 });
    expect(result.boundsHit).toEqual(["max-states"]);
    expect(result.distinctStates).toBeLessThanOrEqual(50);
    expect(result.schedules).toBeLessThan(326);
    expect(result.truncatedSchedules).toBeGreaterThan(0);
  });

  it("reports max-executions when unbounded drops and retries keep the search going", () => {
    const result = explore("retry-set", { sizes: { messages: 2 }, executionsMax: 200 });
    expect(result.boundsHit).toContain("max-executions");
    expect(result.executions).toBeLessThanOrEqual(201);
    expect(result.truncatedSchedules).toBeGreaterThan(0);
  });

  it("reports max-depth when a schedule needs more choices than allowed", () => {
    const result = explore("append", { depthMax: 3 });
    expect(result.boundsHit).toEqual(["max-depth"]);
    expect(result.schedules).toBeLessThan(326);
    expect(result.truncatedSchedules).toBeGreaterThan(0);
  });

  it("with drops off and one message there is one schedule", () => {
    const result = explore("append", { sizes: { messages: 1 }, dropsMax: 0 });
    expect(result.schedules).toBe(1);
    expect(result.outcomes.map((outcome) => outcome.verdict)).toEqual(["holds"]);
  });
});
