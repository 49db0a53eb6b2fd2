// π and the invariants of the outbox scenario. They read what each node made durable: the order
// service's rows (with the id of each row's event) and the consumer's shipments and dead letters,
// decoded from their logs as the execution left them; the consumer's notes say where a shipment
// happened in the trace.

import type { Breach, ExecutionView, Invariant, Json } from "../../src/index.ts";
import { decodeRecords } from "../../src/kit/index.ts";
import { CONSUMER_LOG_FILE, type ConsumerRecord, type DeadLetter, type Shipment } from "./consumer.ts";
import { ATTEMPTS_MAX, type Workload } from "./model.ts";
import { SERVICE_LOG_FILE, type OrderRow, type ServiceRecord } from "./service.ts";

type View = ExecutionView<Workload>;

function recordsOf<Entry extends Json>(view: View, node: string, file: string): Entry[] {
  return decodeRecords<Entry>(view.nodes[node]?.disk.read(file) ?? "").records;
}

/** The committed order rows, by order index. */
export function committedRows(view: View): Map<number, OrderRow> {
  const rows = new Map<number, OrderRow>();
  for (const record of recordsOf<ServiceRecord>(view, "service", SERVICE_LOG_FILE)) if ("row" in record) rows.set(record.row.index, record.row);
  return rows;
}

export function shipments(view: View): Shipment[] {
  return recordsOf<ConsumerRecord>(view, "consumer", CONSUMER_LOG_FILE).flatMap((record) => ("shipped" in record ? [record.shipped] : []));
}

export function deadLetters(view: View): DeadLetter[] {
  return recordsOf<ConsumerRecord>(view, "consumer", CONSUMER_LOG_FILE).flatMap((record) => ("deadLetter" in record ? [record.deadLetter] : []));
}

/** Where the consumer noted shipping this event (the last time, for a duplicate), if it did. */
function shippedAt(view: View, id: string): number | undefined {
  return view.notes("shipped").filter((note) => (note.value as { id?: string }).id === id).at(-1)?.traceIndex;
}

function breach(message: string, traceIndex: number | undefined): Breach {
  return traceIndex === undefined ? { message } : { message, traceIndex };
}

const times = (count: number): string => (count === 1 ? "once" : `${count} times`);

/** π: for each order, whether its row committed, how often it shipped (and how), how often it was dead-lettered. */
export function project(view: View): Json {
  const rows = committedRows(view);
  const shipped = shipments(view);
  const letters = deadLetters(view);
  return view.workload.orders.map((_, index) => ({
    order: index,
    committed: rows.has(index),
    shipped: shipped.filter((shipment) => shipment.index === index).map((shipment) => shipment.via),
    deadLettered: letters.filter((letter) => letter.index === index).length,
  }));
}

export const invariants: readonly Invariant<Workload>[] = [
  {
    name: "no-phantom-event",
    description: "Every event the consumer shipped belongs to a committed row: nothing is published for a write that never committed.",
    check: (view) => {
      const rows = committedRows(view);
      const breaches = shipments(view)
        .filter((shipment) => rows.get(shipment.index)?.eventId !== shipment.id)
        .map((shipment) =>
          breach(`phantom event: order ${shipment.index} was shipped from event ${shipment.id}, which no committed row carries (published for a write that never committed)`, shippedAt(view, shipment.id)),
        );
      return breaches.length === 0 ? undefined : breaches;
    },
  },
  {
    name: "no-lost-event",
    description: "Every committed row's event reaches the consumer and is shipped (live, or by a replay of the dead-letter queue).",
    check: (view) => {
      const shipped = new Set(shipments(view).map((shipment) => shipment.id));
      const lettered = new Set(deadLetters(view).map((letter) => letter.id));
      const messages = [...committedRows(view).values()]
        .filter((row) => !shipped.has(row.eventId))
        .map((row) =>
          lettered.has(row.eventId)
            ? `lost event: order ${row.index} committed with event ${row.eventId}, which was dead-lettered and never replayed`
            : `lost event: order ${row.index} committed with event ${row.eventId}, which never reached the consumer`,
        );
      return messages.length === 0 ? undefined : messages;
    },
  },
  {
    name: "shipped-once",
    description: "Every order of the workload is committed and shipped exactly once.",
    check: (view) => {
      const rows = committedRows(view);
      const shipped = shipments(view);
      const breaches: Breach[] = [];
      view.workload.orders.forEach((_, index) => {
        const mine = shipped.filter((shipment) => shipment.index === index);
        if (mine.length === 1 && rows.has(index)) return;
        if (mine.length === 0) {
          breaches.push({ message: `order ${index} never shipped${rows.has(index) ? "" : " (its row never committed)"}` });
          return;
        }
        const how = mine.map((shipment) => `${shipment.id} (${shipment.via})`).join(", ");
        const message = mine.length > 1 ? `duplicate shipment: order ${index} shipped ${times(mine.length)}, from ${how}` : `order ${index} shipped from ${how} but its row never committed`;
        breaches.push(breach(message, shippedAt(view, mine.at(-1)!.id)));
      });
      return breaches.length === 0 ? undefined : breaches;
    },
  },
  {
    name: "dead-letter-after-attempts",
    description: `Only a poison event is dead-lettered, and only after ${ATTEMPTS_MAX} failed deliveries.`,
    check: (view) => {
      const messages = deadLetters(view)
        .filter((letter) => letter.attempts < ATTEMPTS_MAX || view.workload.orders[letter.index]?.poison !== true)
        .map((letter) =>
          view.workload.orders[letter.index]?.poison === true
            ? `early dead letter: event ${letter.id} (order ${letter.index}) dead-lettered after ${times(letter.attempts)}, expected ${ATTEMPTS_MAX} failed deliveries first`
            : `wrong dead letter: event ${letter.id} (order ${letter.index}) dead-lettered, but order ${letter.index} is not poison`,
        );
      return messages.length === 0 ? undefined : messages;
    },
  },
];
