// The outbox scenario's logical input and its messages: the orders a client places with the order
// service, one of them a poison order whose event the consumer cannot handle until an operator
// replays it from the dead-letter queue; and the JSON the nodes exchange.

import type { Json, Random } from "../../src/index.ts";

export interface Order {
  readonly item: string;
  readonly quantity: number;
  /** The consumer's handler fails on this order's event until it is replayed from the dead-letter queue. */
  readonly poison: boolean;
  readonly [key: string]: Json;
}

export interface Workload {
  readonly orders: readonly Order[];
  readonly [key: string]: Json;
}

/** The client's request: place order `index`, under the idempotency key every retry carries. */
export interface PlaceOrder {
  readonly type: "place";
  readonly index: number;
  readonly key: string;
  readonly order: Order;
  readonly [key: string]: Json;
}

/** The event "order placed", as the service publishes it and the consumer receives it. */
export interface OrderPlaced {
  readonly type: "order-placed";
  /** Minted once per publication attempt; the outbox stores it with the row, so a republication reuses it. */
  readonly id: string;
  readonly index: number;
  readonly poison: boolean;
  readonly [key: string]: Json;
}

/** How many failed deliveries of one event the consumer takes before it dead-letters it. */
export const ATTEMPTS_MAX = 3;

const ORDER_COUNT_MIN = 3;
const ORDER_COUNT_MAX = 5;
const ITEMS = ["book", "lamp", "chair", "kettle", "mug", "desk"] as const;
const QUANTITY_MAX = 4;

/** 3 to 5 orders of drawn items and quantities; exactly one, at a drawn position, is poison. */
export function drawWorkload(random: Random): Workload {
  const count = random.between(ORDER_COUNT_MIN, ORDER_COUNT_MAX);
  const poisonAt = random.below(count);
  const orders: Order[] = [];
  for (let index = 0; index < count; index++) {
    orders.push({ item: random.pick(ITEMS), quantity: random.between(1, QUANTITY_MAX), poison: index === poisonAt });
  }
  return { orders };
}
