// The idempotency scenario: its specification and workload, π and each invariant on hand-built
// executions (a double application, a changed result, a wrong balance), the ledger's torn-tail
// rule, and each variant's verdict over a small swarm sweep.

import { describe, expect, test } from "vitest";
import { sweep, type ExecutionView, type Json, type NoteRecord } from "../../src/index.ts";
import { SimulatedDisk } from "../../src/world/disk.ts";
import { randomStream } from "../../src/core/random.ts";
import idempotency from "../../scenarios/idempotency/index.ts";
import { LEDGER_FILE, readLedger } from "../../scenarios/idempotency/account.ts";
import { drawWorkload, evaluate, expectedOutcome, type Workload } from "../../scenarios/idempotency/model.ts";

// 200: withdraw 50 → 150; withdraw 175 refused; deposit 75 → 225; withdraw 75 → 150.
const WORKLOAD: Workload = {
  initialBalance: 200,
  operations: [
    { kind: "withdraw", amount: 50 },
    { kind: "withdraw", amount: 175 },
    { kind: "deposit", amount: 75 },
    { kind: "withdraw", amount: 75 },
  ],
};

const applied = (balance: number) => ({ outcome: "applied", balance });
const refused = (balance: number) => ({ outcome: "insufficient-funds", balance });

interface Recorded {
  readonly applied: readonly { op: number; balance: number; timeMs: number }[];
  readonly replies: readonly { op: number; result: Json }[];
  readonly balance: number;
}

/** The execution every correct run has: each operation applied once, each reply its first result. */
const CORRECT: Recorded = {
  applied: [{ op: 0, balance: 150, timeMs: 30 }, { op: 2, balance: 225, timeMs: 90 }, { op: 3, balance: 150, timeMs: 130 }],
  replies: [
    { op: 0, result: applied(150) }, { op: 1, result: refused(150) },
    { op: 2, result: applied(225) }, { op: 3, result: applied(150) },
  ],
  balance: 150,
};

function viewOf(recorded: Recorded): ExecutionView<Workload> {
  const notes: Record<string, NoteRecord[]> = {
    applied: recorded.applied.map(({ op, balance, timeMs }, traceIndex) => ({ node: "account", timeMs, value: { op, balance }, traceIndex })),
    reply: recorded.replies.map((value, traceIndex) => ({ node: "client", timeMs: 0, value, traceIndex })),
  };
  return {
    variant: "keyed",
    workload: WORKLOAD,
    trace: [],
    nodes: {},
    endedAtMs: 0,
    state: <State>() => ({ balance: recorded.balance }) as State,
    notes: (label) => notes[label] ?? [],
  };
}

function check(name: string, recorded: Recorded) {
  return idempotency.invariants!.find((invariant) => invariant.name === name)!.check(viewOf(recorded));
}

describe("idempotency: specification and workload", () => {
  test("a withdrawal beyond the balance is refused and changes nothing", () => {
    expect(evaluate(100, { kind: "withdraw", amount: 150 })).toEqual(refused(100));
    expect(evaluate(100, { kind: "withdraw", amount: 50 })).toEqual(applied(50));
    expect(expectedOutcome(WORKLOAD)).toEqual({ results: CORRECT.replies.map((reply) => reply.result), balance: 150 });
  });

  test("every drawn workload holds a refusal followed by a deposit that covers it", () => {
    for (let workloadSeed = 0; workloadSeed < 200; workloadSeed++) {
      const workload = drawWorkload(randomStream(workloadSeed, "workload"));
      const { results } = expectedOutcome(workload);
      const covered = results.some((result, index) => {
        const next = workload.operations[index + 1];
        const amount = workload.operations[index]!.amount;
        return result.outcome === "insufficient-funds" && next?.kind === "deposit" && result.balance + next.amount >= amount;
      });
      expect(covered).toBe(true);
    }
  });
});

describe("idempotency: π and invariants on hand-built executions", () => {
  test("the correct execution keeps every invariant", () => {
    for (const invariant of idempotency.invariants!) expect(invariant.check(viewOf(CORRECT))).toBeUndefined();
    expect(idempotency.project(viewOf(CORRECT))).toEqual({
      operations: CORRECT.replies.map(({ op, result }) => ({ op, applied: op === 1 ? 0 : 1, result })),
      balance: 150,
    });
  });

  test("a retried withdrawal applied twice breaks exactly-once and balance, and π counts it", () => {
    const doubled: Recorded = {
      applied: [...CORRECT.applied, { op: 3, balance: 75, timeMs: 190 }],
      replies: [...CORRECT.replies, { op: 3, result: applied(75) }],
      balance: 75,
    };
    expect(check("exactly-once", doubled)).toEqual(["operation 3 (withdraw 75) applied 2 times (at 130 ms, 190 ms), expected once"]);
    expect(check("balance", doubled)).toBe("final balance expected 150 (each operation applied once), seen 75");
    expect(check("one-result-per-operation", doubled)).toEqual([
      'operation 3 (withdraw 75): the client was told "applied, balance 150", then "applied, balance 75"',
    ]);
    const logical = idempotency.project(viewOf(doubled)) as { operations: { applied: number }[] };
    expect(logical.operations[3]!.applied).toBe(2);
  });

  test("a refusal turned into a success by a late retry breaks exactly-once and one-result", () => {
    const turned: Recorded = {
      applied: [...CORRECT.applied, { op: 1, balance: -25, timeMs: 200 }],
      replies: [...CORRECT.replies, { op: 1, result: applied(-25) }],
      balance: -25,
    };
    expect(check("exactly-once", turned)).toEqual(["operation 1 (withdraw 175) applied once (at 200 ms), expected never"]);
    expect(check("one-result-per-operation", turned)).toEqual([
      'operation 1 (withdraw 175): the client was told "refused for insufficient funds, balance 150", then "applied, balance -25"',
    ]);
  });

  test("an operation never applied, and a balance off the specification, are reported", () => {
    const lost: Recorded = { ...CORRECT, applied: CORRECT.applied.slice(0, 2), balance: 225 };
    expect(check("exactly-once", lost)).toEqual(["operation 3 (withdraw 75) applied never, expected once"]);
    expect(check("balance", lost)).toBe("final balance expected 150 (each operation applied once), seen 225");
  });
});

describe("idempotency: the ledger", () => {
  test("a torn last line was never answered: it is dropped and cut from the file", () => {
    const disk = new SimulatedDisk({ written: () => {}, synced: () => {} });
    disk.append(LEDGER_FILE, '{"balance":150,"op":0}\n{"bal');
    expect(readLedger(disk)).toEqual([{ balance: 150, op: 0 }]);
    expect(disk.read(LEDGER_FILE)).toBe('{"balance":150,"op":0}\n');
  });
});

describe("idempotency: verdicts under swarm faults", () => {
  test("keyed: every execution projects onto the reference over 300 seeds", () => {
    const result = sweep({ scenario: idempotency, variant: "keyed", seedFrom: 0, seedCount: 300, faults: "swarm" });
    expect(result.divergences).toBe(0);
    expect(result.logicalTraces).toBe(1);
  });

  test.each([
    ["naive", ["exactly-once", "balance"]],
    ["dedup-in-memory", ["exactly-once", "balance"]],
    ["dedup-after-apply", ["exactly-once", "balance"]],
    ["rejections-unrecorded", ["exactly-once", "one-result-per-operation"]],
    ["reply-then-persist", ["exactly-once", "balance"]],
  ])("%s is caught within 400 seeds, naming %j", (variant, invariants) => {
    const result = sweep({ scenario: idempotency, variant, seedFrom: 0, seedCount: 400, faults: "swarm", stopAtFirstDivergence: true });
    expect(result.divergences).toBe(1);
    const broken = result.firstDivergence!.violations.map((violation) => violation.invariant);
    for (const name of ["logical-trace", ...invariants]) expect(broken).toContain(name);
  });
});
