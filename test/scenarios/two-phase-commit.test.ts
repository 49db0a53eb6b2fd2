// The two-phase-commit scenario: π, the admissible outcomes and each invariant on hand-built
// executions (a torn transaction, a commit over a no vote, a participant left uncertain); the
// correct variant holding over swarm and heavy sweeps with several admissible outcomes (and
// diverging without `admissible`, which is why it declares it); crashes of each node at each fault
// tick; and each broken variant caught for its own reason.

import { describe, expect, test } from "vitest";
import { Tape } from "../../src/core/tape.ts";
import { TapeChooser } from "../../src/kernel/choosers.ts";
import { computeReference, execute, NAMED_PROFILES, sweep, type ExecutionView, type Json, type NoteRecord } from "../../src/index.ts";
import { runCli, temporaryFolder } from "../fixtures/cli.ts";
import { randomStream } from "../../src/core/random.ts";
import twoPhaseCommit from "../../scenarios/two-phase-commit/index.ts";
import { admissible, invariants, project } from "../../scenarios/two-phase-commit/checks.ts";
import { drawWorkload, type Outcome, type Workload } from "../../scenarios/two-phase-commit/model.ts";

// Transaction 0: everyone votes yes (may commit or abort). Transaction 1: p2 votes no (must abort).
const WORKLOAD: Workload = {
  participants: ["p1", "p2"],
  transactions: [{ p1: "yes", p2: "yes" }, { p1: "yes", p2: "no" }],
};

interface Recorded {
  /** Per transaction, what the coordinator and each participant recorded (null: never learned). */
  readonly outcomes: readonly Readonly<Record<string, Outcome | null>>[];
  /** Notes in trace order: [node, label, value]. */
  readonly notes: readonly (readonly [string, string, Json])[];
}

/** Both transactions as the reference runs them: 0 committed after both yes votes, 1 aborted. */
const CORRECT: Recorded = {
  outcomes: [{ coordinator: "commit", p1: "commit", p2: "commit" }, { coordinator: "abort", p1: "abort", p2: "abort" }],
  notes: [
    ["p1", "voted", { tx: 0, vote: "yes" }], ["p2", "voted", { tx: 0, vote: "yes" }],
    ["coordinator", "decided", { tx: 0, outcome: "commit" }],
    ["p1", "recorded", { tx: 0, outcome: "commit", because: "decision" }], ["p2", "recorded", { tx: 0, outcome: "commit", because: "decision" }],
    ["p2", "recorded", { tx: 1, outcome: "abort", because: "voted no" }], ["p1", "voted", { tx: 1, vote: "yes" }], ["p2", "voted", { tx: 1, vote: "no" }],
    ["coordinator", "decided", { tx: 1, outcome: "abort" }], ["p1", "recorded", { tx: 1, outcome: "abort", because: "decision" }],
  ],
};

function viewOf(recorded: Recorded): ExecutionView<Workload> {
  const notes = recorded.notes.map(([node, label, value], traceIndex) => ({ label, record: { node, timeMs: traceIndex * 5, value, traceIndex } as NoteRecord }));
  const outcomes = (node: string) => recorded.outcomes.map((transaction) => transaction[node] ?? null);
  const state = (node: string) =>
    node === "coordinator"
      ? { decisions: outcomes(node).filter((outcome) => outcome !== null) }
      : { outcomes: new Map(outcomes(node).flatMap((outcome, tx) => (outcome === null ? [] : [[tx, outcome] as const]))) };
  return {
    variant: "abort-on-timeout",
    workload: WORKLOAD,
    trace: [],
    nodes: {},
    endedAtMs: 0,
    state: <State>(node: string) => state(node) as State,
    notes: (label) => notes.filter((note) => note.label === label).map((note) => note.record),
  };
}

function check(name: string, recorded: Recorded) {
  return invariants.find((invariant) => invariant.name === name)!.check(viewOf(recorded));
}

const edit = (recorded: Recorded, changes: Partial<Recorded>): Recorded => ({ ...recorded, ...changes });

describe("two-phase-commit: π and the admissible outcomes", () => {
  test("π is the outcome each node recorded, per transaction", () => {
    expect(project(viewOf(CORRECT))).toEqual(CORRECT.outcomes);
  });

  const all = (outcome: Outcome) => ({ coordinator: outcome, p1: outcome, p2: outcome });

  test("admits a commit or an abort of a transaction everyone votes yes on, and nothing else", () => {
    const reference = [all("commit"), all("abort")];
    expect(admissible([all("commit"), all("abort")], reference, WORKLOAD)).toBeNull();
    expect(admissible([all("abort"), all("abort")], reference, WORKLOAD)).toBeNull();
    expect(admissible([all("commit"), all("commit")], reference, WORKLOAD)).toMatch(/^not one of the 2 allowed outcomes; nearest: \$\[1\]\.coordinator: expected "abort", seen "commit"/);
    expect(admissible([{ ...all("commit"), p2: "abort" }, all("abort")], reference, WORKLOAD)).toMatch(/\$\[0\]\.p2: expected "commit", seen "abort"/);
    expect(admissible([{ ...all("commit"), p2: null }, all("abort")], reference, WORKLOAD)).not.toBeNull();
  });
});

describe("two-phase-commit: each invariant on a hand-built execution", () => {
  test("the correct execution keeps every invariant", () => {
    for (const invariant of invariants) expect(invariant.check(viewOf(CORRECT)), invariant.name).toEqual([]);
  });

  test("atomicity: a transaction committed by some and aborted by others, at the second record", () => {
    const torn = edit(CORRECT, {
      outcomes: [{ coordinator: "commit", p1: "commit", p2: "abort" }, CORRECT.outcomes[1]!],
      notes: [...CORRECT.notes.slice(0, 3), ["p2", "recorded", { tx: 0, outcome: "abort", because: "gave up waiting" }], ...CORRECT.notes.slice(3)],
    });
    expect(check("atomicity", torn)).toEqual([{ message: "transaction 0: committed by coordinator, p1; aborted by p2", traceIndex: 3 }]);
  });

  test("validity: a commit without every participant's yes vote before it", () => {
    const overNo = edit(CORRECT, {
      outcomes: [CORRECT.outcomes[0]!, { coordinator: "commit", p1: "commit", p2: "abort" }],
      notes: [...CORRECT.notes.slice(0, 8), ["coordinator", "decided", { tx: 1, outcome: "commit" }]],
    });
    expect(check("validity", overNo)).toEqual([{ message: "transaction 1 was committed though p2 votes no", traceIndex: 8 }]);
    // A yes vote that comes after the commit does not count.
    const late = edit(CORRECT, { notes: [CORRECT.notes[0]!, CORRECT.notes[2]!, CORRECT.notes[1]!, ...CORRECT.notes.slice(3)] });
    expect(check("validity", late)).toEqual([{ message: "transaction 0 was committed though p2 had not voted yes", traceIndex: 1 }]);
  });

  test("termination: a node that never learned an outcome", () => {
    const uncertain = edit(CORRECT, { outcomes: [{ coordinator: "commit", p1: "commit", p2: null }, CORRECT.outcomes[1]!] });
    expect(check("termination", uncertain)).toEqual(["p2 never learned the outcome of transaction 0"]);
  });
});

describe("two-phase-commit: the workload", () => {
  test("workload seed 0 holds a transaction everyone votes yes on and one with a no", () => {
    const workload = drawWorkload(randomStream(0, "workload"), { transactions: 4, participants: 3 });
    const unanimous = workload.transactions.map((votes) => Object.values(votes).every((vote) => vote === "yes"));
    expect(unanimous).toContain(true);
    expect(unanimous).toContain(false);
  });
});

describe("two-phase-commit: the correct variant", () => {
  for (const [faults, seedCount] of [["swarm", 400], ["heavy", 200]] as const) {
    test(`abort-on-timeout holds over ${seedCount} ${faults} seeds, reaching several admissible outcomes`, () => {
      const result = sweep({ scenario: twoPhaseCommit, variant: "abort-on-timeout", seedCount, faults });
      expect(result).toMatchObject({ divergences: 0, inadmissibleLogicalTraces: 0, invariants: [] });
      expect(result.admissibleLogicalTraces).toBeGreaterThan(1);
    });
  }

  test("dsim run --json says an execution that means something other than the reference holds, admissibly", async () => {
    const reference = computeReference({ scenario: twoPhaseCommit, variant: "abort-on-timeout", workloadSeed: 0, sizes: {}, faults: "none", limits: {} });
    const seed = Array.from({ length: 50 }, (_, seed) => seed).find((seed) => execute({ scenario: twoPhaseCommit, variant: "abort-on-timeout", seed }, reference).logicalHash !== reference.logicalHash)!;
    expect(seed).toBeDefined();
    const run = await runCli(["run", "two-phase-commit", "--seed", String(seed), "--json", "--out", temporaryFolder()]);
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout);
    expect(printed).toMatchObject({ verdict: "holds", admissible: true, violations: [] });
    expect(printed.logicalHash).not.toBe(reference.logicalHash);
  });

  test("without `admissible` it would diverge: its meaning legitimately varies with the faults", () => {
    const { admissible: _admissible, ...strict } = twoPhaseCommit;
    const result = sweep({ scenario: strict, variant: "abort-on-timeout", seedCount: 200, faults: "swarm" });
    expect(result.divergences).toBeGreaterThan(0);
    expect(result.invariants.map((count) => count.invariant)).toEqual(["logical-trace"]);
  });

  // Every fault tick in which the transactions run (4 transactions ≈ 400 ms = 20 ticks), each node:
  // a crash there, down 40 ms, and the protocol still holds; at least one crash re-runs a vote.
  test("holds with any one node crashed at any fault tick, and a restarted coordinator runs the vote again", () => {
    let rerun = 0;
    for (const node of ["coordinator", "p1", "p2", "p3"]) {
      for (let tick = 0; tick < 24; tick++) {
        const tape = new Tape([{ kind: "crash", tick, node, value: 1 }, { kind: "restart-ms", tick, node, value: 20 }]);
        const result = execute({ scenario: twoPhaseCommit, variant: "abort-on-timeout", seed: 0, faults: { ...faultsWithCrashes, name: "crash" }, chooser: new TapeChooser(tape) });
        expect(result.trace.some((event) => event.kind === "crash" && event.node === node), `${node} at tick ${tick}`).toBe(true);
        expect(result.violations, `${node} at tick ${tick}`).toEqual([]);
        const prepares = result.trace.flatMap((event) => (event.kind === "send" && (event.message as { kind: string }).kind === "prepare" ? [`${event.to}/${(event.message as { tx: number }).tx}`] : []));
        if (new Set(prepares).size < prepares.length) rerun++;
      }
    }
    expect(rerun).toBeGreaterThan(0);
  });
});

const faultsWithCrashes = {
  ...NAMED_PROFILES.none!,
  name: "crash", latencyMs: 5, latencyJitterMs: 0, dropProbability: 0, duplicateProbability: 0, delayProbability: 0, delayMaxMs: 0,
  partitionProbability: 0, partitionMinMs: 50, partitionMaxMs: 300, crashProbability: 0.5, restartMinMs: 20, restartMaxMs: 200,
  tornWriteProbability: 0, clockSkewProbability: 0, clockSkewMaxMs: 0, faultStartMs: 0, faultEndMs: 1000, healAtMs: 1000, tickMs: 20,
};

describe("two-phase-commit: the broken variants, caught for their own reasons", () => {
  test("commit-on-timeout breaks validity (a commit over missing votes) and atomicity (over a no)", () => {
    const result = sweep({ scenario: twoPhaseCommit, variant: "commit-on-timeout", seedCount: 300, faults: "swarm" });
    const tally = new Map(result.invariants.map((count) => [count.invariant, count]));
    expect(tally.get("validity")!.seeds).toBeGreaterThan(0);
    expect(tally.get("atomicity")!.seeds).toBeGreaterThan(0);
    expect(tally.has("termination")).toBe(false);
    expect(result.firstDivergence!.violations.map((violation) => violation.invariant)).toContain("validity");
    expect(result.inadmissibleLogicalTraces).toBeGreaterThan(0);
  });

  test("abort-after-yes breaks atomicity: a participant aborts on its own after promising yes", () => {
    const result = sweep({ scenario: twoPhaseCommit, variant: "abort-after-yes", seedCount: 300, faults: "swarm", stopAtFirstDivergence: true });
    const broken = result.firstDivergence!.violations;
    expect(broken.map((violation) => violation.invariant)).toContain("atomicity");
    expect(broken.map((violation) => violation.invariant)).not.toContain("validity");
    const atomicity = broken.find((violation) => violation.invariant === "atomicity")!;
    const where = result.firstDivergence!.trace[atomicity.traceIndex!]!;
    expect(where).toMatchObject({ kind: "note", label: "recorded", value: { because: "gave up waiting" } });
  });
});
