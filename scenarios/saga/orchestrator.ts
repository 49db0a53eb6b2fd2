// The saga orchestrator: it drives each order's saga (reserve stock, charge the card, ship) and,
// when a step fails, its compensations (refund, then release), recording every step's result,
// its decision to abort and the saga's outcome in its record log (`sagas.log`) before it acts on
// them, so a restarted orchestrator resumes each unfinished saga where it stood. Each step is sent
// again every RETRY_MS until its result arrives, under one idempotency key per step and saga. The
// payment step has a deadline: with no result after CHARGE_TIMEOUT_MS, the saga is aborted, so a
// correct saga may end compensated where the reference shipped (the scenario's admissible
// outcomes). Variants:
//   waitForOutcome false  an aborted saga refunds at once, before the charge's outcome is known:
//                         a charge still in the network lands after the refund found nothing
//   keyedRetries false    the charge is retried under a new key each time: a retry after a
//                         lost answer charges the card again

import { defineNode, type Json, type NodeContext } from "../../src/index.ts";
import { appendRecords, armedTimers, defineTimers, recoverRecords, type ArmedTimers } from "../../src/kit/index.ts";
import type { Outcome, SagaOrder, Step, StepReply, StepRequest } from "./model.ts";
import type { ServiceName } from "./services.ts";

export interface OrchestratorShape {
  /** An aborted saga learns the charge's outcome (by retrying it) before it compensates it. */
  readonly waitForOutcome: boolean;
  /** Every retry of a step carries the step's one idempotency key. */
  readonly keyedRetries: boolean;
}

export const RETRY_MS = 50;
export const CHARGE_TIMEOUT_MS = 120;
export const SAGA_LOG_FILE = "sagas.log";

export type SagaRecord =
  | { readonly saga: string; readonly index: number; readonly order: SagaOrder; readonly client: string }
  | { readonly saga: string; readonly step: Step; readonly result: string }
  | { readonly saga: string; readonly aborted: true }
  | { readonly saga: string; readonly outcome: Outcome };

interface Saga {
  readonly id: string;
  readonly index: number;
  readonly order: SagaOrder;
  readonly client: string;
  readonly results: Partial<Record<Step, string>>;
  aborted: boolean;
  outcome: Outcome | null;
  /** Charges sent in this life (names the key when retries are not keyed). */
  chargesSent: number;
}

export interface OrchestratorState {
  readonly sagas: Map<string, Saga>;
  readonly timers: ArmedTimers;
}

const SERVICE_OF: Record<Step, ServiceName> = { reserve: "inventory", release: "inventory", charge: "payments", refund: "payments", ship: "shipping" };
const timers = defineTimers<{ retry: string; timeout: string }>();

type Next = { readonly step: Step } | { readonly outcome: Outcome };

/** Compensate what the saga holds: refund a charge, then release the reservation. */
function compensate(saga: Saga, outcome: Outcome, refund: boolean): Next {
  if (refund && saga.results.refund === undefined) return { step: "refund" };
  if (saga.results.release === undefined) return { step: "release" };
  return { outcome };
}

/** What the saga does next, from what it recorded. */
function nextOf(saga: Saga, shape: OrchestratorShape): Next {
  const { reserve, charge, ship } = saga.results;
  if (reserve === undefined) return { step: "reserve" };
  if (reserve === "out-of-stock") return { outcome: "out-of-stock" };
  if (charge === undefined) return !saga.aborted || shape.waitForOutcome ? { step: "charge" } : compensate(saga, "payment-timed-out", true);
  const failure: Outcome | undefined = saga.aborted ? "payment-timed-out" : charge === "declined" ? "declined" : ship === "undeliverable" ? "undeliverable" : undefined;
  if (failure !== undefined) return compensate(saga, failure, charge === "charged");
  return ship === undefined ? { step: "ship" } : { outcome: "shipped" };
}

function record(ctx: NodeContext, entry: SagaRecord): void {
  appendRecords(ctx.disk, SAGA_LOG_FILE, [entry as Json]);
}

function advance(state: OrchestratorState, ctx: NodeContext, saga: Saga, shape: OrchestratorShape): void {
  if (saga.outcome !== null) return;
  const next = nextOf(saga, shape);
  if ("outcome" in next) {
    record(ctx, { saga: saga.id, outcome: next.outcome });
    saga.outcome = next.outcome;
    timers.cancel(ctx, state.timers, "retry", saga.id);
    timers.cancel(ctx, state.timers, "timeout", saga.id);
    ctx.note("saga-ended", { saga: saga.id, index: saga.index, outcome: next.outcome });
    ctx.send(saga.client, { type: "order-result", index: saga.index, outcome: next.outcome });
    return;
  }
  let key = `${saga.id}/${next.step}`;
  if (next.step === "charge") {
    saga.chargesSent++;
    if (!shape.keyedRetries) key = `${key}#${saga.chargesSent}`;
    if (!saga.aborted && !timers.isArmed(state.timers, "timeout", saga.id)) timers.set(ctx, state.timers, "timeout", saga.id, CHARGE_TIMEOUT_MS);
  }
  const request: StepRequest = { type: "step", saga: saga.id, step: next.step, key, order: saga.order };
  ctx.send(SERVICE_OF[next.step], request);
  timers.set(ctx, state.timers, "retry", saga.id, RETRY_MS);
}

export function orchestrator(shape: OrchestratorShape) {
  return defineNode<OrchestratorState>({
    init: (ctx) => {
      const state: OrchestratorState = { sagas: new Map(), timers: armedTimers() };
      for (const entry of recoverRecords<SagaRecord>(ctx.disk, SAGA_LOG_FILE).records) {
        if ("client" in entry) state.sagas.set(entry.saga, { id: entry.saga, index: entry.index, order: entry.order, client: entry.client, results: {}, aborted: false, outcome: null, chargesSent: 0 });
        const saga = state.sagas.get(entry.saga)!;
        if ("step" in entry) saga.results[entry.step] = entry.result;
        else if ("aborted" in entry) saga.aborted = true;
        else if ("outcome" in entry) saga.outcome = entry.outcome;
      }
      return state;
    },
    recover: (state, ctx) => {
      for (const saga of state.sagas.values()) advance(state, ctx, saga, shape);
    },
    message: (state, ctx, from, message) => {
      if ((message as { type: string }).type === "order") {
        const { saga: id, index, order } = message as { saga: string; index: number; order: SagaOrder };
        const known = state.sagas.get(id);
        if (known !== undefined) {
          if (known.outcome !== null) ctx.send(from, { type: "order-result", index, outcome: known.outcome });
          return;
        }
        record(ctx, { saga: id, index, order, client: from });
        const saga: Saga = { id, index, order, client: from, results: {}, aborted: false, outcome: null, chargesSent: 0 };
        state.sagas.set(id, saga);
        advance(state, ctx, saga, shape);
        return;
      }
      const { saga: id, step, result } = message as StepReply;
      const saga = state.sagas.get(id);
      if (saga === undefined || saga.outcome !== null || saga.results[step] !== undefined) return;
      record(ctx, { saga: id, step, result });
      saga.results[step] = result;
      advance(state, ctx, saga, shape);
    },
    timer: (state, ctx, name) =>
      void timers.dispatch(ctx, state.timers, name, {
        retry: (id) => advance(state, ctx, state.sagas.get(id)!, shape),
        timeout: (id) => {
          const saga = state.sagas.get(id)!;
          if (saga.outcome !== null || saga.aborted || saga.results.charge !== undefined) return;
          record(ctx, { saga: id, aborted: true });
          saga.aborted = true;
          advance(state, ctx, saga, shape);
        },
      }),
  });
}
