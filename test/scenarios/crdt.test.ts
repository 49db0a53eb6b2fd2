// The crdt scenario: the logical value rules on a hand-built workload, each invariant failing on a
// hand-built bad state, and each variant's verdict over a small swarm sweep.

import { describe, expect, test } from "vitest";
import { randomStream } from "../../src/core/random.ts";
import { execute, sweep, type ExecutionView, type Json, type NoteRecord } from "../../src/index.ts";
import crdt from "../../scenarios/crdt/index.ts";
import { COARSE_CLOCK_MS, logicalValue, type CrdtWorkload, type Update } from "../../scenarios/crdt/workload.ts";

const update = (index: number, replica: string, action: "add" | "remove", element: number, amount: number): Update =>
  ({ index, replica, atMs: index * 10, action, element, amount });

/** r0 adds 1 and removes it; r1 adds 1 concurrently; r2 adds 2, which r2 removes; r0 adds 0. */
const WORKLOAD: CrdtWorkload = {
  updates: [
    update(0, "r0", "add", 1, 3), update(1, "r1", "add", 1, 2), update(2, "r0", "remove", 1, 1),
    update(3, "r2", "add", 2, 5), update(4, "r2", "remove", 2, 4), update(5, "r0", "add", 0, 1),
  ],
};

describe("logical value by each type's rule", () => {
  test.each([
    ["g-counter", 11],
    ["pn-counter", 6],
    ["g-set", [0, 1, 2]],
    ["2p-set", [0]],
    ["or-set", [0, 1]],
    ["lww-register", { element: 0, index: 5 }],
    // Every update falls due in the first 300 ms: one coarse stamp, so the greatest replica (r2) wins, its latest write.
    ["lww-coarse", { element: 2, index: 4 }],
  ] as [Parameters<typeof logicalValue>[0], Json][])("%s", (type, expected) => {
    expect(logicalValue(type, WORKLOAD.updates)).toEqual(expected);
  });
});

interface FakeReplica {
  crdt: Json;
  value: Json;
  issued: number;
}

function viewWith(variant: string, replicas: Record<string, FakeReplica>, issuedIndexes: readonly number[]): ExecutionView<CrdtWorkload> {
  const notes: NoteRecord[] = issuedIndexes.map((index, traceIndex) => ({ node: "r0", timeMs: 0, value: { index }, traceIndex }));
  return {
    variant, workload: WORKLOAD, trace: [], nodes: {}, endedAtMs: 0,
    state: <State>(node: string) => replicas[node] as State,
    notes: (label) => (label === "issued" ? notes : []),
  };
}

const invariant = (name: string) => crdt.invariants!.find((candidate) => candidate.name === name)!;
const good: FakeReplica = { crdt: { r0: 4, r1: 2, r2: 5 }, value: 11, issued: 2 };
const all = [0, 1, 3, 5];

describe("crdt invariants fail on bad states", () => {
  test("converged: a replica whose state differs", () => {
    expect(invariant("converged").check(viewWith("g-counter", { r0: good, r1: good, r2: good }, all))).toBeUndefined();
    const behind = { ...good, crdt: { r0: 4, r1: 2 }, value: 6 };
    const broken = invariant("converged").check(viewWith("g-counter", { r0: good, r1: behind, r2: good }, all));
    expect(broken).toMatch(/^r1 differ from r0: .*r1=\{"r0":4,"r1":2\}/);
  });

  test("logical-value: a value the workload does not mean", () => {
    expect(invariant("logical-value").check(viewWith("g-counter", { r0: good, r1: good, r2: good }, all))).toEqual([]);
    const doubled = { ...good, value: 22 };
    expect(invariant("logical-value").check(viewWith("g-counter", { r0: good, r1: good, r2: doubled }, all)))
      .toEqual(["r2 reads 22, the workload means 11"]);
  });

  test("every-update-issued: a lost or doubled update", () => {
    const view = (issued: number[]) => viewWith("g-counter", { r0: good, r1: good, r2: good }, issued);
    expect(invariant("every-update-issued").check(view(all))).toBeUndefined();
    expect(invariant("every-update-issued").check(view([0, 1, 5]))).toMatch(/issued updates \[0,1,5\]/);
    expect(invariant("every-update-issued").check(view([0, 1, 3, 3, 5]))).toMatch(/issued updates \[0,1,3,3,5\]/);
  });
});

describe("crdt variants under swarm", () => {
  const holding = crdt.variants.filter((variant) => variant.expect === "holds").map((variant) => variant.name);
  const diverging = crdt.variants.filter((variant) => variant.expect === "diverges").map((variant) => variant.name);

  test.each(holding)("%s holds: one logical trace over 40 seeds", (variant) => {
    const result = sweep({ scenario: crdt, variant, seedFrom: 0, seedCount: 40, faults: "swarm" });
    expect(result.divergences).toBe(0);
    expect(result.logicalTraces).toBe(1);
  });

  test.each(holding)("%s holds with a new logical input per seed", (variant) => {
    const result = sweep({ scenario: crdt, variant, seedFrom: 0, seedCount: 20, faults: "swarm", varyWorkload: true });
    expect(result.divergences).toBe(0);
    expect(result.logicalTraces).toBe(1);
  });

  // Each bug's own invariant (docs/scenarios/crdt.md), not any divergence: a handler error or a
  // budget would not pass.
  test.each([
    ["counter-merge-by-sum", "logical-value"],
    ["op-counter-no-dedup", "logical-value"],
    ["lww-arrival-order", "converged"],
    ["or-set-as-2p-set", "logical-value"],
  ])("%s is caught within its budget, breaking %s", (variant, invariant) => {
    expect(diverging).toContain(variant);
    const result = sweep({ scenario: crdt, variant, seedFrom: 0, seedCount: 2000, faults: "swarm", stopAtFirstDivergence: true });
    const named = result.firstDivergence!.violations.map((violation) => violation.invariant);
    expect(named).toContain(invariant);
    expect(named).not.toContain("handler-error");
    expect(named).not.toContain("budget");
  });

  test("counter-merge-by-sum counts too much, never too little: a merge adds what is already there", () => {
    let wrong = 0;
    for (let seed = 0; seed < 10; seed++) {
      const result = execute({ scenario: crdt, variant: "counter-merge-by-sum", seed, faults: "swarm" });
      for (const violation of result.violations.filter((candidate) => candidate.invariant === "logical-value")) {
        const [, read, means] = violation.message.match(/^r\d reads (\d+), the workload means (\d+)$/)!;
        expect(Number(read), violation.message).toBeGreaterThan(Number(means));
        wrong++;
      }
    }
    expect(wrong).toBeGreaterThan(10);
  });

  test("lww-arrival-order: replicas disagree, and the report shows their states", () => {
    const result = sweep({ scenario: crdt, variant: "lww-arrival-order", seedFrom: 0, seedCount: 2000, faults: "swarm", stopAtFirstDivergence: true });
    const converged = result.firstDivergence!.violations.find((violation) => violation.invariant === "converged")!;
    expect(converged.message).toMatch(/^r\d(, r\d)? differ from r\d: r0=\{.*\} r1=\{.*\} r2=\{.*\}$/);
  });

  test("lww-tie-by-arrival: only equal stamps show it, and replicas then disagree", () => {
    const result = sweep({ scenario: crdt, variant: "lww-tie-by-arrival", seedFrom: 0, seedCount: 2000, faults: "swarm", stopAtFirstDivergence: true });
    const names = result.firstDivergence!.violations.map((violation) => violation.invariant);
    expect(names).toContain("converged");
    // The workload's writes tie on the coarse clock: two replicas' writes in one 300 ms period.
    const updates = crdt.workload(randomStream(result.firstDivergence!.workloadSeed, "workload"), {}).updates;
    const stamps = updates.map((update) => `${Math.floor(update.atMs / COARSE_CLOCK_MS)}/${update.replica}`);
    const periods = new Set(updates.map((update) => Math.floor(update.atMs / COARSE_CLOCK_MS)));
    expect(new Set(stamps).size).toBeGreaterThan(periods.size);
  });

  test("an execution is a pure function of its seed", () => {
    const first = execute({ scenario: crdt, variant: "op-or-set", seed: 17, faults: "heavy" });
    const second = execute({ scenario: crdt, variant: "op-or-set", seed: 17, faults: "heavy" });
    expect(second.physicalHash).toBe(first.physicalHash);
    expect(second.logicalHash).toBe(first.logicalHash);
  });
});
