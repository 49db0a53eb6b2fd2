// The sweep's one count, on hand-built seed outcomes: per invariant, the seeds that broke it and
// the first; the seeds that first broke something; distinct logical traces split by admissibility
// per logical input; the stop at the first divergence; and outcomes it must refuse.

import { describe, expect, test } from "vitest";
import { DsimBug } from "../../src/core/errors.ts";
import { SweepTally, type SeedOutcome } from "../../src/explore/tally.ts";

const IDENTITY = { scenario: "s", variant: "v", expect: "diverges", seedFrom: 0, seedCount: 10 } as const;

function outcome(seed: number, broken: readonly string[], logicalHash = broken.length === 0 ? "ok" : `bad-${seed}`, admissible = broken.length === 0, workloadSeed = 0): SeedOutcome {
  return { seed, workloadSeed, physicalHash: `p${seed}`, logicalHash, admissible, events: 10, verdict: broken.length === 0 ? "holds" : "diverges", broken };
}

describe("the tally per invariant", () => {
  test("counts each seed once per invariant it broke, and keeps the first seed of each", () => {
    const tally = new SweepTally(false);
    const firsts = [
      tally.add(outcome(0, [])),
      tally.add(outcome(1, ["logical-trace", "validity"])),
      tally.add(outcome(2, [])),
      tally.add(outcome(3, ["logical-trace", "validity"])),
      tally.add(outcome(4, ["logical-trace", "atomicity", "validity"])),
      tally.add(outcome(5, ["atomicity"])),
    ];
    expect(firsts).toEqual([false, true, false, false, true, false]);
    const counts = tally.counts(IDENTITY);
    expect(counts.invariants).toEqual([
      { invariant: "logical-trace", seeds: 3, firstSeed: 1 },
      { invariant: "validity", seeds: 3, firstSeed: 1 },
      { invariant: "atomicity", seeds: 2, firstSeed: 4 },
    ]);
    expect(counts.divergences).toBe(4);
    expect(tally.firstDivergence).toBe(1);
    expect(tally.firstBreakingSeeds).toEqual([1, 4]);
  });

  test("nothing broken, nothing tallied", () => {
    const tally = new SweepTally(false);
    for (let seed = 0; seed < 5; seed++) tally.add(outcome(seed, []));
    expect(tally.counts(IDENTITY)).toMatchObject({ invariants: [], divergences: 0, logicalTraces: 1, admissibleLogicalTraces: 1, inadmissibleLogicalTraces: 0 });
    expect(tally.firstBreakingSeeds).toEqual([]);
  });

  test("stopping at the first divergence tallies only that seed's invariants", () => {
    const tally = new SweepTally(true);
    tally.add(outcome(0, []));
    tally.add(outcome(1, ["exactly-once", "balance"]));
    expect(tally.stopped).toBe(true);
    expect(() => tally.add(outcome(2, ["atomicity"]))).toThrow(DsimBug);
    expect(tally.counts(IDENTITY).invariants.map((count) => count.invariant)).toEqual(["exactly-once", "balance"]);
  });

  test("refuses a verdict that disagrees with what was broken, and seeds out of order", () => {
    const tally = new SweepTally(false);
    expect(() => tally.add({ ...outcome(0, []), verdict: "diverges" })).toThrow(/a verdict of diverges with 0 invariants broken/);
    tally.add(outcome(3, []));
    expect(() => tally.add(outcome(2, []))).toThrow(/out of order/);
  });
});

describe("distinct logical traces, admissible and not", () => {
  test("counts each distinct trace once, on the side its judgement put it", () => {
    const tally = new SweepTally(false);
    tally.add(outcome(0, [], "commit"));
    tally.add(outcome(1, [], "abort"));
    tally.add(outcome(2, [], "commit"));
    tally.add(outcome(3, ["logical-trace"], "torn", false));
    tally.add(outcome(4, ["logical-trace"], "torn", false));
    tally.add(outcome(5, ["atomicity"], "abort", true));
    expect(tally.counts(IDENTITY)).toMatchObject({ logicalTraces: 3, admissibleLogicalTraces: 2, inadmissibleLogicalTraces: 1 });
  });

  test("per logical input: the largest count of each kind when the workload varies", () => {
    const tally = new SweepTally(false);
    tally.add(outcome(0, [], "a", true, 0));
    tally.add(outcome(1, [], "b", true, 0));
    tally.add(outcome(2, ["logical-trace"], "c", false, 1));
    tally.add(outcome(3, ["logical-trace"], "d", false, 1));
    tally.add(outcome(4, ["logical-trace"], "e", false, 1));
    expect(tally.counts(IDENTITY)).toMatchObject({ logicalTraces: 3, admissibleLogicalTraces: 2, inadmissibleLogicalTraces: 3 });
  });
});

describe("a logical input is the workload seed with the sizes", () => {
  test("the same workload seed at other sizes is another logical input: the largest count, not the union", () => {
    const tally = new SweepTally(false);
    const at = (seed: number, hash: string, sizes: Record<string, number>): SeedOutcome => ({ ...outcome(seed, [], hash), sizes });
    tally.add(at(0, "a", { clients: 1 }));
    tally.add(at(1, "b", { clients: 1 }));
    tally.add(at(2, "c", { clients: 2 }));
    tally.add(at(3, "d", { clients: 2 }));
    tally.add(at(4, "e", { clients: 2 }));
    tally.add(at(5, "c", { clients: 2 }));
    // Inputs {clients: 1}: a, b; {clients: 2}: c, d, e. Five traces in all, three at most per input.
    expect(tally.counts(IDENTITY)).toMatchObject({ logicalTraces: 3, admissibleLogicalTraces: 3, physicalTraces: 6 });
  });
});

describe("the rest of the count: events, order, and the seeds that stop it", () => {
  test("events are summed over the seeds, and divergences counted", () => {
    const tally = new SweepTally(false);
    tally.add({ ...outcome(0, []), events: 7 });
    tally.add({ ...outcome(1, ["validity"]), events: 5 });
    tally.add({ ...outcome(2, ["validity"]), events: 11 });
    expect(tally.counts(IDENTITY)).toMatchObject({ events: 7 + 5 + 11, divergences: 2, seedsRun: 3 });
    expect(tally.divergences).toBe(2);
  });

  test("the same seed twice is out of order", () => {
    const tally = new SweepTally(false);
    tally.add(outcome(4, []));
    expect(() => tally.add(outcome(4, []))).toThrow(/seed 4 counted out of order/);
  });

  test("a sweep that ran to its end has no scenario error and no lost seed", () => {
    const tally = new SweepTally(false);
    tally.add(outcome(0, []));
    const counts = tally.counts(IDENTITY);
    expect(counts.scenarioError).toBeNull();
    expect(counts.lost).toBeNull();
    expect(tally.lost).toBeUndefined();
    expect(tally.stopped).toBe(false);
  });

  test("a seed the scenario broke stops the tally and is reported", () => {
    const tally = new SweepTally(false);
    tally.add(outcome(0, []));
    const trouble = { seed: 1, workloadSeed: 0, kind: "scenario", message: "TypeError in start" } as const;
    tally.addTrouble(trouble);
    expect(tally.stopped).toBe(true);
    expect(() => tally.add(outcome(2, []))).toThrow(/a stopped sweep was given another seed/);
    const counts = tally.counts(IDENTITY);
    expect(counts.scenarioError).toEqual(trouble);
    expect(counts.lost).toBeNull();
    expect(counts.seedsRun).toBe(1);
  });

  test("a seed that did not finish stops the tally and is reported", () => {
    const tally = new SweepTally(false);
    tally.add(outcome(0, ["validity"]));
    const lost = { seed: 3, workloadSeed: 0, verdict: "hung", message: "no answer within 1000 ms" } as const;
    tally.addLost(lost);
    expect(tally.stopped).toBe(true);
    expect(tally.lost).toEqual(lost);
    expect(() => tally.addTrouble({ seed: 4, workloadSeed: 0, kind: "scenario", message: "x" })).toThrow(/a stopped sweep was given another seed/);
    const counts = tally.counts(IDENTITY);
    expect(counts.lost).toEqual(lost);
    expect(counts.scenarioError).toBeNull();
  });
});
