// π and the invariants of the saga scenario, on the business outcome: they read each service's
// record log (stock moved, money taken, parcels sent, per saga) and the orchestrator's (how each
// saga ended), as the execution left them; the services' `effect` notes say where in the trace.

import type { Breach, ExecutionView, Invariant, Json } from "../../src/index.ts";
import { decodeRecords } from "../../src/kit/index.ts";
import type { Outcome, SagaMeaning, Workload } from "./model.ts";
import { SAGA_LOG_FILE, type SagaRecord } from "./orchestrator.ts";
import { logFileOf, sagaDelta, stockOf, type EffectRecord, type ServiceName } from "./services.ts";

type View = ExecutionView<Workload>;

export const sagaIdOf = (index: number): string => `client#${index}`;

function recordsOf<Entry extends Json>(view: View, node: string, file: string): Entry[] {
  return decodeRecords<Entry>(view.nodes[node]?.disk.read(file) ?? "").records;
}

const effects = (view: View, service: ServiceName): EffectRecord[] => recordsOf<EffectRecord>(view, service, logFileOf(service));

/** How each saga ended, by order index (null: it never ended). */
function outcomes(view: View): (Outcome | null)[] {
  const ended = new Map<string, Outcome>();
  for (const entry of recordsOf<SagaRecord>(view, "orchestrator", SAGA_LOG_FILE)) if ("outcome" in entry) ended.set(entry.saga, entry.outcome);
  return view.workload.orders.map((_, index) => ended.get(sagaIdOf(index)) ?? null);
}

interface Ledger {
  readonly outcome: Outcome | null;
  readonly charges: number;
  readonly charged: number;
  readonly refunded: number;
  readonly held: number;
  readonly parcels: number;
}

/** Per order: its outcome, the money charged and refunded, the stock it still holds, the parcels sent. */
function ledgers(view: View): Ledger[] {
  const payments = effects(view, "payments");
  const inventory = effects(view, "inventory");
  const shipping = effects(view, "shipping");
  const ended = outcomes(view);
  return view.workload.orders.map((_, index) => {
    const saga = sagaIdOf(index);
    return {
      outcome: ended[index]!,
      charges: payments.filter((record) => record.saga === saga && record.step === "charge" && record.delta > 0).length,
      charged: sagaDelta(payments, saga, "charge"),
      refunded: -sagaDelta(payments, saga, "refund"),
      held: -(sagaDelta(inventory, saga, "reserve") + sagaDelta(inventory, saga, "release")),
      parcels: sagaDelta(shipping, saga, "ship"),
    };
  });
}

function effectAt(view: View, index: number): number | undefined {
  return view.notes("effect").filter((note) => (note.value as { saga?: string }).saga === sagaIdOf(index)).at(-1)?.traceIndex;
}

const located = (view: View, index: number, message: string): Breach => {
  const traceIndex = effectAt(view, index);
  return traceIndex === undefined ? { message } : { message, traceIndex };
};

/** π: each saga's outcome and what its customer paid net; the final stock. */
export function project(view: View): Json {
  const inventory = effects(view, "inventory");
  const meaning: SagaMeaning = {
    sagas: ledgers(view).map((ledger) => ({ outcome: ledger.outcome, paid: ledger.charged - ledger.refunded })),
    stock: Object.fromEntries(Object.keys(view.workload.stock).map((item) => [item, stockOf(view.workload.stock, inventory, item)])),
  };
  return meaning;
}

export const invariants: readonly Invariant<Workload>[] = [
  {
    name: "money-conserved",
    description: "A shipped order's customer paid its price once; a compensated order's customer paid nothing (refunds equal its charges).",
    check: (view) => {
      const breaches: Breach[] = [];
      ledgers(view).forEach((ledger, index) => {
        const { price } = view.workload.orders[index]!;
        const paid = ledger.charged - ledger.refunded;
        const expected = ledger.outcome === "shipped" ? price : 0;
        if (paid === expected) return;
        const money = `charged ${ledger.charged} in ${ledger.charges} charge${ledger.charges === 1 ? "" : "s"}, refunded ${ledger.refunded}`;
        const message =
          ledger.charges > 1 ? `double charge: order ${index} (${price}) was charged ${ledger.charges} times, ended ${ledger.outcome ?? "never"}: paid ${paid}, expected ${expected} (${money})`
          : paid < 0 ? `over-refund: order ${index} (${price}) ended ${ledger.outcome ?? "never"} and its customer got back ${-paid} more than was paid (${money})`
          : ledger.outcome !== "shipped" ? `charged for a compensated order: order ${index} (${price}) ended ${ledger.outcome ?? "never"} but its customer paid ${paid} (${money})`
          : `order ${index} (${price}) shipped but its customer paid ${paid} (${money})`;
        breaches.push(located(view, index, message));
      });
      return breaches.length === 0 ? undefined : breaches;
    },
  },
  {
    name: "no-unpaid-shipment",
    description: "Nothing is shipped unless its customer paid its price.",
    check: (view) => {
      const breaches = ledgers(view).flatMap((ledger, index) => {
        const { price } = view.workload.orders[index]!;
        const paid = ledger.charged - ledger.refunded;
        return ledger.parcels > 0 && paid < price ? [located(view, index, `shipped unpaid: order ${index} was shipped, but its customer paid ${paid} of ${price}`)] : [];
      });
      return breaches.length === 0 ? undefined : breaches;
    },
  },
  {
    name: "stock-conserved",
    description: "A shipped order holds its quantity, a compensated one nothing; each item's stock is the initial stock less what shipped.",
    check: (view) => {
      const messages: string[] = [];
      const all = ledgers(view);
      all.forEach((ledger, index) => {
        const { item, quantity } = view.workload.orders[index]!;
        const expected = ledger.outcome === "shipped" ? quantity : 0;
        if (ledger.held !== expected) messages.push(`stock ${ledger.held > expected ? "leak" : "double release"}: order ${index} ended ${ledger.outcome ?? "never"} holding ${ledger.held} ${item}, expected ${expected}`);
      });
      const inventory = effects(view, "inventory");
      for (const item of Object.keys(view.workload.stock)) {
        const shipped = view.workload.orders.reduce((sum, order, index) => sum + (order.item === item && all[index]!.outcome === "shipped" ? order.quantity : 0), 0);
        const expected = view.workload.stock[item]! - shipped;
        const seen = stockOf(view.workload.stock, inventory, item);
        if (seen !== expected) messages.push(`stock of ${item}: expected ${expected} (initial ${view.workload.stock[item]} less ${shipped} shipped), seen ${seen}`);
      }
      return messages.length === 0 ? undefined : messages;
    },
  },
  {
    name: "saga-ends-done-or-compensated",
    description: "Every saga ends: shipped (one parcel) or compensated (no parcel).",
    check: (view) => {
      const messages = ledgers(view).flatMap((ledger, index) => {
        if (ledger.outcome === null) return [`saga never ended: order ${index} (its saga recorded no outcome)`];
        const parcels = ledger.outcome === "shipped" ? 1 : 0;
        return ledger.parcels === parcels ? [] : [`order ${index} ended ${ledger.outcome} with ${ledger.parcels} parcels sent, expected ${parcels}`];
      });
      return messages.length === 0 ? undefined : messages;
    },
  },
];
