// The order service of the outbox scenario: it commits an order row (its database is the kit's
// record log, `orders.log`) and publishes the event "order placed" to the consumer, resending it
// on a relay timer until the consumer acknowledges it. The variants differ in where the event
// waits to be published, and in what order the row and the event are written:
//   outbox       the row and its event are one fsynced record (the transactional outbox); the
//                relay publishes from it, so after a crash it still publishes every committed
//                row's event, with the id stored beside the row
//   memory       the event waits in volatile memory (a dual write): sent before the commit
//                (publish-then-commit) or after it (commit-then-publish)

import { defineNode, type NodeContext } from "../../src/index.ts";
import { appendRecords, recoverRecords } from "../../src/kit/index.ts";
import type { OrderPlaced, PlaceOrder } from "./model.ts";

export interface ServiceShape {
  /** Where an event waits until the consumer acknowledges it: in the durable outbox, or in memory. */
  readonly pendingIn: "outbox" | "memory";
  /** Whether the event is sent before the row commits (publish-then-commit) or after. */
  readonly publishFirst: boolean;
}

/** One committed order row; `eventId` is the id of the event published for it. */
export type OrderRow = {
  readonly index: number;
  readonly key: string;
  readonly item: string;
  readonly quantity: number;
  readonly eventId: string;
  readonly poison: boolean;
};

export type ServiceRecord = { readonly row: OrderRow } | { readonly published: string };

export const SERVICE_LOG_FILE = "orders.log";
export const RELAY_MS = 40;
const EVENT_ID_SPACE = 1_000_000_000;

export interface ServiceState {
  readonly rows: Map<number, OrderRow>;
  /** Events not yet acknowledged by the consumer, in publication order. */
  readonly pending: OrderPlaced[];
  relayArmed: boolean;
}

const eventOf = (row: OrderRow): OrderPlaced => ({ type: "order-placed", id: row.eventId, index: row.index, poison: row.poison });

function publish(state: ServiceState, ctx: NodeContext, event: OrderPlaced): void {
  state.pending.push(event);
  ctx.send("consumer", event);
  armRelay(state, ctx);
}

function armRelay(state: ServiceState, ctx: NodeContext): void {
  if (state.relayArmed || state.pending.length === 0) return;
  state.relayArmed = true;
  ctx.setTimer("relay", RELAY_MS);
}

export function service(shape: ServiceShape) {
  return defineNode<ServiceState>({
    init: (ctx) => {
      const state: ServiceState = { rows: new Map(), pending: [], relayArmed: false };
      const published = new Set<string>();
      const records = recoverRecords<ServiceRecord>(ctx.disk, SERVICE_LOG_FILE).records;
      for (const record of records) {
        if ("row" in record) state.rows.set(record.row.index, record.row);
        else published.add(record.published);
      }
      if (shape.pendingIn === "outbox") {
        for (const row of state.rows.values()) if (!published.has(row.eventId)) state.pending.push(eventOf(row));
      }
      return state;
    },
    recover: (state, ctx) => {
      for (const event of state.pending) ctx.send("consumer", event);
      armRelay(state, ctx);
    },
    message: (state, ctx, from, message) => {
      const kind = (message as { type: string }).type;
      if (kind === "ack") {
        const { id } = message as { id: string };
        const at = state.pending.findIndex((event) => event.id === id);
        if (at < 0) return;
        state.pending.splice(at, 1);
        // Marking the outbox entry published may be lost to a crash: the relay then publishes it again.
        if (shape.pendingIn === "outbox") appendRecords(ctx.disk, SERVICE_LOG_FILE, [{ published: id }], { sync: false });
        return;
      }
      const { index, key, order } = message as PlaceOrder;
      if (!state.rows.has(index)) {
        const row: OrderRow = { index, key, item: order.item, quantity: order.quantity, eventId: `order${index}-${ctx.random.below(EVENT_ID_SPACE)}`, poison: order.poison };
        if (shape.publishFirst) publish(state, ctx, eventOf(row));
        appendRecords(ctx.disk, SERVICE_LOG_FILE, [{ row }]);
        state.rows.set(index, row);
        if (!shape.publishFirst) publish(state, ctx, eventOf(row));
      }
      ctx.send(from, { type: "placed", index });
    },
    timer: (state, ctx) => {
      state.relayArmed = false;
      for (const event of state.pending) ctx.send("consumer", event);
      armRelay(state, ctx);
    },
  });
}
