// The saga scenario: its workload and specification (the allowed outcomes), π and each invariant
// on hand-built executions (a double charge, a charge on a compensated order, an over-refund, an
// unpaid shipment, a stock leak, a saga that never ended), and each variant's verdict over a
// small swarm sweep.

import { describe, expect, test } from "vitest";
import { sweep, type Disk, type ExecutionView, type Json } from "../../src/index.ts";
import { encodeRecord } from "../../src/kit/index.ts";
import { randomStream } from "../../src/core/random.ts";
import saga from "../../scenarios/saga/index.ts";
import { allowedMeanings, drawWorkload, expectedMeaning, type Outcome, type Step, type Workload } from "../../scenarios/saga/model.ts";
import { SAGA_LOG_FILE, type SagaRecord } from "../../scenarios/saga/orchestrator.ts";
import { logFileOf, type EffectRecord, type ServiceName } from "../../scenarios/saga/services.ts";

// lamp ×2 at 30 ships; desk ×1 at 20 is declined; lamp ×1 at 50 is undeliverable (charged, refunded).
const WORKLOAD: Workload = {
  stock: { lamp: 3, desk: 3 },
  orders: [
    { item: "lamp", quantity: 2, price: 30, card: "ok", address: "ok" },
    { item: "desk", quantity: 1, price: 20, card: "declined", address: "ok" },
    { item: "lamp", quantity: 1, price: 50, card: "ok", address: "undeliverable" },
  ],
};

const effect = (saga: number, step: Step, result: string, delta: number, item = ""): EffectRecord => ({ key: `client#${saga}/${step}`, saga: `client#${saga}`, step, result, item, delta });

interface Logs {
  readonly inventory: EffectRecord[];
  readonly payments: EffectRecord[];
  readonly shipping: EffectRecord[];
  readonly outcomes: Outcome[];
}

const CORRECT: Logs = {
  inventory: [effect(0, "reserve", "reserved", -2, "lamp"), effect(1, "reserve", "reserved", -1, "desk"), effect(1, "release", "released", 1, "desk"), effect(2, "reserve", "reserved", -1, "lamp"), effect(2, "release", "released", 1, "lamp")],
  payments: [effect(0, "charge", "charged", 30), effect(1, "charge", "declined", 0), effect(2, "charge", "charged", 50), effect(2, "refund", "refunded", -50)],
  shipping: [effect(0, "ship", "shipped", 1), effect(2, "ship", "undeliverable", 0)],
  outcomes: ["shipped", "declined", "undeliverable"],
};

function diskOf(file: string, records: readonly Json[]): Disk {
  const text = records.map(encodeRecord).join("");
  return { read: (name: string) => (name === file ? text : undefined) } as unknown as Disk;
}

function viewOf(logs: Logs): ExecutionView<Workload> {
  const service = (name: ServiceName) => ({ up: true, state: null, disk: diskOf(logFileOf(name), logs[name]) });
  const sagaLog: SagaRecord[] = logs.outcomes.map((outcome, index) => ({ saga: `client#${index}`, outcome }));
  return {
    variant: "saga",
    workload: WORKLOAD,
    trace: [],
    nodes: { inventory: service("inventory"), payments: service("payments"), shipping: service("shipping"), orchestrator: { up: true, state: null, disk: diskOf(SAGA_LOG_FILE, sagaLog) } },
    endedAtMs: 0,
    state: <State>() => null as State,
    notes: () => [],
  };
}

function check(name: string, logs: Logs) {
  return saga.invariants!.find((invariant) => invariant.name === name)!.check(viewOf(logs));
}

describe("saga: workload and specification", () => {
  test("every drawn workload declines one card and has another order undeliverable", () => {
    for (let workloadSeed = 0; workloadSeed < 200; workloadSeed++) {
      const { orders } = drawWorkload(randomStream(workloadSeed, "workload"));
      const declined = orders.findIndex((order) => order.card === "declined");
      const undeliverable = orders.findIndex((order) => order.address === "undeliverable");
      expect(declined).toBeGreaterThanOrEqual(0);
      expect(undeliverable).toBeGreaterThanOrEqual(0);
      expect(undeliverable).not.toBe(declined);
    }
  });

  test("the specification: outcomes in order, and an aborted saga frees stock for a later one", () => {
    expect(expectedMeaning(WORKLOAD, new Set())).toEqual({ sagas: [{ outcome: "shipped", paid: 30 }, { outcome: "declined", paid: 0 }, { outcome: "undeliverable", paid: 0 }], stock: { lamp: 1, desk: 3 } });
    const scarce: Workload = { ...WORKLOAD, stock: { lamp: 2, desk: 3 } };
    expect(expectedMeaning(scarce, new Set()).sagas[2]).toEqual({ outcome: "out-of-stock", paid: 0 });
    expect(expectedMeaning(scarce, new Set([0])).sagas).toEqual([{ outcome: "payment-timed-out", paid: 0 }, { outcome: "declined", paid: 0 }, { outcome: "undeliverable", paid: 0 }]);
    // 8 sets of aborted sagas, some with the same meaning: distinct meanings only.
    expect(allowedMeanings(WORKLOAD)).toHaveLength(8);
  });
});

describe("saga: π and invariants on hand-built executions", () => {
  test("the correct execution keeps every invariant, and π gives outcomes, money and stock", () => {
    for (const invariant of saga.invariants!) expect(invariant.check(viewOf(CORRECT))).toBeUndefined();
    expect(saga.project(viewOf(CORRECT))).toEqual(expectedMeaning(WORKLOAD, new Set()));
  });

  test("a charge retried under a new key is a double charge", () => {
    const doubled: Logs = { ...CORRECT, payments: [...CORRECT.payments, { ...effect(0, "charge", "charged", 30), key: "client#0/charge#2" }] };
    expect(check("money-conserved", doubled)).toEqual([{ message: "double charge: order 0 (30) was charged 2 times, ended shipped: paid 60, expected 30 (charged 60 in 2 charges, refunded 0)" }]);
  });

  test("a refund applied twice is an over-refund; a charge after a refund that found nothing sticks", () => {
    const twice: Logs = { ...CORRECT, payments: [...CORRECT.payments, effect(2, "refund", "refunded", -50)] };
    expect(check("money-conserved", twice)).toEqual([{ message: "over-refund: order 2 (50) ended undeliverable and its customer got back 50 more than was paid (charged 50 in 1 charge, refunded 100)" }]);
    const late: Logs = {
      ...CORRECT,
      payments: [effect(0, "charge", "charged", 30), effect(1, "charge", "declined", 0), effect(2, "refund", "nothing-to-refund", 0), effect(2, "charge", "charged", 50)],
      outcomes: ["shipped", "declined", "payment-timed-out"],
    };
    expect(check("money-conserved", late)).toEqual([{ message: "charged for a compensated order: order 2 (50) ended payment-timed-out but its customer paid 50 (charged 50 in 1 charge, refunded 0)" }]);
  });

  test("a parcel sent without payment, and stock still held by a compensated order, are reported", () => {
    const unpaid: Logs = { ...CORRECT, payments: CORRECT.payments.slice(1) };
    expect(check("no-unpaid-shipment", unpaid)).toEqual([{ message: "shipped unpaid: order 0 was shipped, but its customer paid 0 of 30" }]);
    const leak: Logs = { ...CORRECT, inventory: CORRECT.inventory.filter((record) => !(record.saga === "client#2" && record.step === "release")) };
    expect(check("stock-conserved", leak)).toEqual(["stock leak: order 2 ended undeliverable holding 1 lamp, expected 0", "stock of lamp: expected 1 (initial 3 less 2 shipped), seen 0"]);
  });

  test("a saga without an outcome, or compensated with a parcel sent, is reported", () => {
    const open: Logs = { ...CORRECT, outcomes: ["shipped", "declined"] };
    expect(check("saga-ends-done-or-compensated", open)).toEqual(["saga never ended: order 2 (its saga recorded no outcome)"]);
    const sent: Logs = { ...CORRECT, shipping: [...CORRECT.shipping, effect(1, "ship", "shipped", 1)] };
    expect(check("saga-ends-done-or-compensated", sent)).toEqual(["order 1 ended declined with 1 parcels sent, expected 0"]);
  });

  test("a meaning outside the allowed ones is not admissible", () => {
    const reference = expectedMeaning(WORKLOAD, new Set());
    const charged = { ...reference, sagas: [reference.sagas[0]!, reference.sagas[1]!, { outcome: "payment-timed-out" as const, paid: 50 }] };
    expect(saga.admissible!(charged, reference, WORKLOAD)).toBe("not one of the 8 allowed outcomes; nearest: $.sagas[2].paid: expected 0, seen 50");
    expect(saga.admissible!(expectedMeaning(WORKLOAD, new Set([2])), reference, WORKLOAD)).toBeNull();
  });
});

describe("saga: verdicts under swarm faults", () => {
  test("saga: every execution is admissible over 200 seeds, and the faults make several outcomes", () => {
    const result = sweep({ scenario: saga, variant: "saga", seedFrom: 0, seedCount: 200, faults: "swarm" });
    expect(result.divergences).toBe(0);
    expect(result.logicalTraces).toBeGreaterThan(1);
  });

  test.each([
    ["refund-not-idempotent", 50],
    ["retry-without-key", 50],
    ["compensate-before-outcome", 100],
  ])("%s is caught within %i seeds, breaking money-conserved", (variant, seeds) => {
    const result = sweep({ scenario: saga, variant, seedFrom: 0, seedCount: seeds, faults: "swarm", stopAtFirstDivergence: true });
    expect(result.divergences).toBe(1);
    const broken = result.firstDivergence!.violations.map((violation) => violation.invariant);
    expect(broken).toEqual(expect.arrayContaining(["logical-trace", "money-conserved"]));
  });
});
