// The saga scenario's logical input, its messages, and its specification: what every order saga
// must end as, given which of them the orchestrator aborted when the payment step timed out (the
// one outcome the faults may choose), with the stock and money each outcome leaves.

import type { Json, Random } from "../../src/index.ts";

export interface SagaOrder {
  readonly item: string;
  readonly quantity: number;
  readonly price: number;
  readonly card: "ok" | "declined";
  readonly address: "ok" | "undeliverable";
  readonly [key: string]: Json;
}

export interface Workload {
  /** Initial stock per item. */
  readonly stock: { readonly [item: string]: number };
  readonly orders: readonly SagaOrder[];
  readonly [key: string]: Json;
}

/** How a saga ended: fully done (shipped) or fully compensated, and why. */
export type Outcome = "shipped" | "out-of-stock" | "declined" | "undeliverable" | "payment-timed-out";

export type Step = "reserve" | "charge" | "ship" | "release" | "refund";

/** A request from the orchestrator to a service: one step (or compensation) of one saga. */
export interface StepRequest {
  readonly type: "step";
  readonly saga: string;
  readonly step: Step;
  /** The idempotency key: the same in every retry of this step of this saga. */
  readonly key: string;
  readonly order: SagaOrder;
  readonly [key: string]: Json;
}

export interface StepReply {
  readonly type: "step-result";
  readonly saga: string;
  readonly step: Step;
  readonly result: string;
  readonly [key: string]: Json;
}

export const ITEMS = ["lamp", "desk"] as const;
const STOCK_PER_ITEM = 3;
const ORDER_COUNT_MIN = 3;
const ORDER_COUNT_MAX = 4;
const QUANTITY_MAX = 2;
const PRICE_STEP = 10;
const PRICE_STEPS_MAX = 5;

/**
 * 3 or 4 orders of 1 or 2 lamps or desks (3 of each in stock, so an order may find none left), at
 * 10..50 each; one drawn order's card is declined and another drawn order's address is
 * undeliverable, so every workload needs the release and the refund.
 */
export function drawWorkload(random: Random): Workload {
  const count = random.between(ORDER_COUNT_MIN, ORDER_COUNT_MAX);
  const declinedAt = random.below(count);
  const undeliverableAt = (declinedAt + 1 + random.below(count - 1)) % count;
  const orders: SagaOrder[] = [];
  for (let index = 0; index < count; index++) {
    orders.push({
      item: random.pick(ITEMS),
      quantity: random.between(1, QUANTITY_MAX),
      price: PRICE_STEP * random.between(1, PRICE_STEPS_MAX),
      card: index === declinedAt ? "declined" : "ok",
      address: index === undeliverableAt ? "undeliverable" : "ok",
    });
  }
  return { stock: Object.fromEntries(ITEMS.map((item) => [item, STOCK_PER_ITEM])), orders };
}

/** π's shape: each saga's outcome and what the customer paid net; the final stock. */
export interface SagaMeaning {
  readonly sagas: readonly { readonly outcome: Outcome | null; readonly paid: number }[];
  readonly stock: { readonly [item: string]: number };
  readonly [key: string]: Json;
}

/** The specification, the sagas run in order: `timedOut` says which reserved ones the orchestrator aborted at the payment step. */
export function expectedMeaning(workload: Workload, timedOut: ReadonlySet<number>): SagaMeaning {
  const stock: Record<string, number> = { ...workload.stock };
  const sagas = workload.orders.map((order, index) => {
    if (stock[order.item]! < order.quantity) return { outcome: "out-of-stock" as Outcome, paid: 0 };
    const outcome: Outcome = timedOut.has(index) ? "payment-timed-out" : order.card === "declined" ? "declined" : order.address === "undeliverable" ? "undeliverable" : "shipped";
    if (outcome === "shipped") stock[order.item]! -= order.quantity;
    return { outcome, paid: outcome === "shipped" ? order.price : 0 };
  });
  return { sagas, stock };
}

/** Every meaning a correct execution may have: one per set of sagas aborted by the payment timeout. */
export function allowedMeanings(workload: Workload): SagaMeaning[] {
  const meanings = new Map<string, SagaMeaning>();
  for (let mask = 0; mask < 1 << workload.orders.length; mask++) {
    const timedOut = new Set(workload.orders.flatMap((_, index) => ((mask >> index) & 1 ? [index] : [])));
    const meaning = expectedMeaning(workload, timedOut);
    meanings.set(JSON.stringify(meaning), meaning);
  }
  return [...meanings.values()];
}
