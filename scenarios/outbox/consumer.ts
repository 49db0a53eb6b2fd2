// The consumer of the outbox scenario (the shipping service): it ships each order once per event
// id, recording the shipment and the id in one fsynced record of its own log (`shipping.log`), and
// acknowledges every copy of an event it has handled. A poison event fails its handler: it is not
// acknowledged, so the relay delivers it again, and after ATTEMPTS_MAX failures it is moved to the
// dead-letter queue (a record in the same log) and acknowledged. An operator's `replay` request
// ships what the dead-letter queue holds (the cause was fixed) and answers with the orders the
// replay has shipped. Variant: `checkProcessed` false ships every dead letter again at each
// replay request, handled or not.

import { defineNode, type NodeContext } from "../../src/index.ts";
import { appendRecords, recoverRecords } from "../../src/kit/index.ts";
import { ATTEMPTS_MAX, type OrderPlaced } from "./model.ts";

export interface ConsumerShape {
  /** A replay skips dead letters already shipped (else it ships every one again). */
  readonly checkProcessed: boolean;
}

export type Shipment = {
  readonly id: string;
  readonly index: number;
  readonly via: "live" | "replay";
};

export type DeadLetter = {
  readonly id: string;
  readonly index: number;
  readonly attempts: number;
};

export type ConsumerRecord = { readonly shipped: Shipment } | { readonly deadLetter: DeadLetter };

export const CONSUMER_LOG_FILE = "shipping.log";

export interface ConsumerState {
  readonly shipped: Map<string, Shipment>;
  readonly deadLetters: Map<string, DeadLetter>;
  /** Failed deliveries per event id: volatile, so a restart starts counting again. */
  readonly attempts: Map<string, number>;
}

function ship(state: ConsumerState, ctx: NodeContext, shipment: Shipment): void {
  appendRecords(ctx.disk, CONSUMER_LOG_FILE, [{ shipped: shipment }]);
  state.shipped.set(shipment.id, shipment);
  ctx.note("shipped", { ...shipment });
}

export function consumer(shape: ConsumerShape) {
  return defineNode<ConsumerState>({
    init: (ctx) => {
      const state: ConsumerState = { shipped: new Map(), deadLetters: new Map(), attempts: new Map() };
      for (const record of recoverRecords<ConsumerRecord>(ctx.disk, CONSUMER_LOG_FILE).records) {
        if ("shipped" in record) state.shipped.set(record.shipped.id, record.shipped);
        else state.deadLetters.set(record.deadLetter.id, record.deadLetter);
      }
      return state;
    },
    message: (state, ctx, from, message) => {
      if ((message as { type: string }).type === "replay") {
        for (const letter of state.deadLetters.values()) {
          if (shape.checkProcessed && state.shipped.has(letter.id)) continue;
          ship(state, ctx, { id: letter.id, index: letter.index, via: "replay" });
        }
        const replayed = [...state.shipped.values()].filter((shipment) => shipment.via === "replay").map((shipment) => shipment.index);
        ctx.send(from, { type: "replayed", orders: replayed });
        return;
      }
      const event = message as OrderPlaced;
      if (!state.shipped.has(event.id) && !state.deadLetters.has(event.id)) {
        if (event.poison) {
          const attempts = (state.attempts.get(event.id) ?? 0) + 1;
          state.attempts.set(event.id, attempts);
          if (attempts < ATTEMPTS_MAX) return; // the handler failed: no acknowledgement, the relay delivers it again
          const letter: DeadLetter = { id: event.id, index: event.index, attempts };
          appendRecords(ctx.disk, CONSUMER_LOG_FILE, [{ deadLetter: letter }]);
          state.deadLetters.set(event.id, letter);
          ctx.note("dead-lettered", { ...letter });
        } else {
          ship(state, ctx, { id: event.id, index: event.index, via: "live" });
        }
      }
      ctx.send(from, { type: "ack", id: event.id });
    },
  });
}
