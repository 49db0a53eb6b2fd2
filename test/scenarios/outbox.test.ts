// The outbox scenario: its workload, π and each invariant on hand-built executions (a phantom
// event, a lost event, a duplicate shipment, an early dead letter), and each variant's verdict
// over a small swarm sweep, naming the invariants it breaks.

import { describe, expect, test } from "vitest";
import { sweep, type Disk, type ExecutionView, type Json, type NoteRecord } from "../../src/index.ts";
import { encodeRecord } from "../../src/kit/index.ts";
import { randomStream } from "../../src/core/random.ts";
import outbox from "../../scenarios/outbox/index.ts";
import { CONSUMER_LOG_FILE, type ConsumerRecord } from "../../scenarios/outbox/consumer.ts";
import { drawWorkload, type Workload } from "../../scenarios/outbox/model.ts";
import { SERVICE_LOG_FILE, type OrderRow, type ServiceRecord } from "../../scenarios/outbox/service.ts";

const WORKLOAD: Workload = {
  orders: [
    { item: "book", quantity: 1, poison: false },
    { item: "lamp", quantity: 2, poison: true },
    { item: "mug", quantity: 3, poison: false },
  ],
};

const row = (index: number, eventId: string): OrderRow => ({
  index, key: `client#${index}`, item: WORKLOAD.orders[index]!.item, quantity: WORKLOAD.orders[index]!.quantity, eventId, poison: WORKLOAD.orders[index]!.poison,
});

const ROWS: ServiceRecord[] = [{ row: row(0, "e0") }, { row: row(1, "e1") }, { published: "e0" }, { row: row(2, "e2") }];
const SHIPPING: ConsumerRecord[] = [
  { shipped: { id: "e0", index: 0, via: "live" } },
  { deadLetter: { id: "e1", index: 1, attempts: 3 } },
  { shipped: { id: "e2", index: 2, via: "live" } },
  { shipped: { id: "e1", index: 1, via: "replay" } },
];

function diskOf(file: string, records: readonly Json[]): Disk {
  const text = records.map(encodeRecord).join("");
  return { read: (name: string) => (name === file ? text : undefined) } as unknown as Disk;
}

function viewOf(rows: readonly ServiceRecord[], shipping: readonly ConsumerRecord[]): ExecutionView<Workload> {
  const shipped: NoteRecord[] = shipping.flatMap((record, traceIndex) => ("shipped" in record ? [{ node: "consumer", timeMs: 0, value: { ...record.shipped }, traceIndex: 100 + traceIndex }] : []));
  return {
    variant: "outbox",
    workload: WORKLOAD,
    trace: [],
    nodes: {
      service: { up: true, state: null, disk: diskOf(SERVICE_LOG_FILE, rows) },
      consumer: { up: true, state: null, disk: diskOf(CONSUMER_LOG_FILE, shipping) },
    },
    endedAtMs: 0,
    state: <State>() => null as State,
    notes: (label) => (label === "shipped" ? shipped : []),
  };
}

function check(name: string, rows: readonly ServiceRecord[], shipping: readonly ConsumerRecord[]) {
  return outbox.invariants!.find((invariant) => invariant.name === name)!.check(viewOf(rows, shipping));
}

describe("outbox: workload", () => {
  test("every drawn workload has 3 to 5 orders, exactly one of them poison", () => {
    for (let workloadSeed = 0; workloadSeed < 200; workloadSeed++) {
      const { orders } = drawWorkload(randomStream(workloadSeed, "workload"));
      expect(orders.length).toBeGreaterThanOrEqual(3);
      expect(orders.length).toBeLessThanOrEqual(5);
      expect(orders.filter((order) => order.poison)).toHaveLength(1);
    }
  });
});

describe("outbox: π and invariants on hand-built executions", () => {
  test("the correct execution keeps every invariant, and π says how each order shipped", () => {
    for (const invariant of outbox.invariants!) expect(invariant.check(viewOf(ROWS, SHIPPING))).toBeUndefined();
    expect(outbox.project(viewOf(ROWS, SHIPPING))).toEqual([
      { order: 0, committed: true, shipped: ["live"], deadLettered: 0 },
      { order: 1, committed: true, shipped: ["replay"], deadLettered: 1 },
      { order: 2, committed: true, shipped: ["live"], deadLettered: 0 },
    ]);
  });

  test("an event shipped for a row that committed under another id is a phantom, and the order ships twice", () => {
    const phantom: ConsumerRecord[] = [{ shipped: { id: "e2-first", index: 2, via: "live" } }, ...SHIPPING];
    expect(check("no-phantom-event", ROWS, phantom)).toEqual([
      { message: "phantom event: order 2 was shipped from event e2-first, which no committed row carries (published for a write that never committed)", traceIndex: 100 },
    ]);
    expect(check("shipped-once", ROWS, phantom)).toEqual([
      { message: "duplicate shipment: order 2 shipped 2 times, from e2-first (live), e2 (live)", traceIndex: 103 },
    ]);
  });

  test("a committed row whose event never shipped is a lost event; a dead letter never replayed is one too", () => {
    const lost = SHIPPING.filter((record) => !("shipped" in record && (record.shipped.index === 2 || record.shipped.via === "replay")));
    expect(check("no-lost-event", ROWS, lost)).toEqual([
      "lost event: order 1 committed with event e1, which was dead-lettered and never replayed",
      "lost event: order 2 committed with event e2, which never reached the consumer",
    ]);
    expect(check("shipped-once", ROWS, lost)).toEqual([{ message: "order 1 never shipped" }, { message: "order 2 never shipped" }]);
    expect(outbox.project(viewOf(ROWS, lost))).toEqual([
      { order: 0, committed: true, shipped: ["live"], deadLettered: 0 },
      { order: 1, committed: true, shipped: [], deadLettered: 1 },
      { order: 2, committed: true, shipped: [], deadLettered: 0 },
    ]);
  });

  test("a dead letter replayed twice is a duplicate shipment", () => {
    const twice: ConsumerRecord[] = [...SHIPPING, { shipped: { id: "e1", index: 1, via: "replay" } }];
    expect(check("shipped-once", ROWS, twice)).toEqual([{ message: "duplicate shipment: order 1 shipped 2 times, from e1 (replay), e1 (replay)", traceIndex: 104 }]);
    expect(check("no-phantom-event", ROWS, twice)).toBeUndefined();
  });

  test("a dead letter before its attempts, or of an order that is not poison, is reported", () => {
    const early: ConsumerRecord[] = [{ deadLetter: { id: "e1", index: 1, attempts: 1 } }, { deadLetter: { id: "e0", index: 0, attempts: 3 } }];
    expect(check("dead-letter-after-attempts", ROWS, early)).toEqual([
      "early dead letter: event e1 (order 1) dead-lettered after once, expected 3 failed deliveries first",
      "wrong dead letter: event e0 (order 0) dead-lettered, but order 0 is not poison",
    ]);
  });
});

describe("outbox: verdicts under swarm faults", () => {
  test("outbox: every execution projects onto the reference over 300 seeds", () => {
    const result = sweep({ scenario: outbox, variant: "outbox", seedFrom: 0, seedCount: 300, faults: "swarm" });
    expect(result.divergences).toBe(0);
    expect(result.logicalTraces).toBe(1);
  });

  test.each([
    ["publish-then-commit", ["no-lost-event", "shipped-once"]],
    ["commit-then-publish", ["no-lost-event", "shipped-once"]],
    ["replay-duplicates", ["shipped-once"]],
  ])("%s is caught within 200 seeds, naming %j", (variant, invariants) => {
    const result = sweep({ scenario: outbox, variant, seedFrom: 0, seedCount: 200, faults: "swarm", stopAtFirstDivergence: true });
    expect(result.divergences).toBe(1);
    const broken = result.firstDivergence!.violations.map((violation) => violation.invariant);
    for (const name of ["logical-trace", ...invariants]) expect(broken).toContain(name);
  });

  test("publish-then-commit publishes a phantom event (a crash point between the send and the commit) within 400 seeds", () => {
    const result = sweep({ scenario: outbox, variant: "publish-then-commit", seedFrom: 0, seedCount: 400, faults: "swarm" });
    expect(result.invariants.find((tally) => tally.invariant === "no-phantom-event")?.firstSeed).toBe(370);
  });
});
