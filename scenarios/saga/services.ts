// The three services an order saga calls: inventory (reserve, compensated by release), payments
// (charge, compensated by refund) and shipping (ship, the last step, never compensated). Each
// keeps its effects in its own record log, one fsynced record per applied request with the
// request's idempotency key, and answers a request whose key it has recorded with the recorded
// result, so a retried step or compensation is applied once. A compensation undoes what its step
// left for that saga (nothing, if the step never applied or was already undone): a business
// undo, not a rollback. The payment provider is slow: a charge is applied 0..PAYMENT_LATENCY_MAX_MS
// after it arrives (a copy arriving meanwhile waits for that answer), so a charge may land after
// the orchestrator's deadline has passed. Variant: `refundIdempotent` false refunds the charge
// again at every refund request, retries and duplicates included.

import { defineNode, type Json, type NodeContext } from "../../src/index.ts";
import { appendRecords, armedTimers, defineTimers, recoverRecords, type ArmedTimers } from "../../src/kit/index.ts";
import type { SagaOrder, Step, StepRequest, Workload } from "./model.ts";

/** One applied request: its key, its saga and step, its result, and its effect (stock or money moved). */
export type EffectRecord = {
  readonly key: string;
  readonly saga: string;
  readonly step: Step;
  readonly result: string;
  readonly item: string;
  /** Inventory: units back in stock (negative for a reservation); payments: money taken (negative for a refund); shipping: parcels sent. */
  readonly delta: number;
};

export type ServiceName = "inventory" | "payments" | "shipping";

export const logFileOf = (service: ServiceName): string => `${service}.log`;

export const PAYMENT_LATENCY_MAX_MS = 45;

export interface ServiceState {
  readonly records: EffectRecord[];
  readonly byKey: Map<string, EffectRecord>;
  /** Charges being processed, by key: volatile (a crash forgets them, and the orchestrator retries). */
  readonly processing: Map<string, { readonly from: string; readonly request: StepRequest }>;
  readonly timers: ArmedTimers;
}

const timers = defineTimers<{ process: string }>();

/** The effect this saga's records of one step add up to. */
export const sagaDelta = (records: readonly EffectRecord[], saga: string, step: Step): number =>
  records.filter((record) => record.saga === saga && record.step === step).reduce((sum, record) => sum + record.delta, 0);

/** Units of `item` in stock after these records. */
export function stockOf(initial: Workload["stock"], records: readonly EffectRecord[], item: string): number {
  return (initial[item] ?? 0) + records.filter((record) => record.item === item).reduce((sum, record) => sum + record.delta, 0);
}

type Decision = Pick<EffectRecord, "result" | "item" | "delta">;

function decide(stock: Workload["stock"], records: readonly EffectRecord[], step: Step, saga: string, order: SagaOrder, refundIdempotent: boolean): Decision {
  const none = { item: "", delta: 0 };
  switch (step) {
    case "reserve":
      return stockOf(stock, records, order.item) >= order.quantity ? { result: "reserved", item: order.item, delta: -order.quantity } : { result: "out-of-stock", ...none };
    case "release": {
      const held = -(sagaDelta(records, saga, "reserve") + sagaDelta(records, saga, "release"));
      return held > 0 ? { result: "released", item: order.item, delta: held } : { result: "nothing-to-release", ...none };
    }
    case "charge":
      return order.card === "declined" ? { result: "declined", ...none } : { result: "charged", ...none, delta: order.price };
    case "refund": {
      const charged = sagaDelta(records, saga, "charge");
      const taken = refundIdempotent ? charged + sagaDelta(records, saga, "refund") : charged;
      return taken > 0 ? { result: "refunded", ...none, delta: -taken } : { result: "nothing-to-refund", ...none };
    }
    case "ship":
      return order.address === "undeliverable" ? { result: "undeliverable", ...none } : { result: "shipped", ...none, delta: 1 };
  }
}

export function service(name: ServiceName, workload: Workload, refundIdempotent: boolean) {
  const file = logFileOf(name);
  /** Applies a request once per key (every refund, when refunds are not idempotent) and answers it. */
  const apply = (state: ServiceState, ctx: NodeContext, from: string, { saga, step, key, order }: StepRequest): void => {
    const deduplicated = refundIdempotent || step !== "refund";
    let record = deduplicated ? state.byKey.get(key) : undefined;
    if (record === undefined) {
      record = { key, saga, step, ...decide(workload.stock, state.records, step, saga, order, refundIdempotent) };
      appendRecords(ctx.disk, file, [record as Json]);
      state.records.push(record);
      state.byKey.set(key, record);
      if (record.delta !== 0) ctx.note("effect", { service: name, saga, step, delta: record.delta });
    }
    ctx.send(from, { type: "step-result", saga, step, result: record.result });
  };
  return defineNode<ServiceState>({
    init: (ctx) => {
      const records = recoverRecords<EffectRecord>(ctx.disk, file).records;
      return { records, byKey: new Map(records.map((record) => [record.key, record])), processing: new Map(), timers: armedTimers() };
    },
    message: (state, ctx, from, message) => {
      const request = message as StepRequest;
      if (request.step === "charge" && !state.byKey.has(request.key)) {
        if (state.processing.has(request.key)) return;
        state.processing.set(request.key, { from, request });
        timers.set(ctx, state.timers, "process", request.key, ctx.random.below(PAYMENT_LATENCY_MAX_MS));
        return;
      }
      apply(state, ctx, from, request);
    },
    timer: (state, ctx, name) =>
      void timers.dispatch(ctx, state.timers, name, {
        process: (key) => {
          const { from, request } = state.processing.get(key)!;
          state.processing.delete(key);
          apply(state, ctx, from, request);
        },
      }),
  });
}
