// Scenario `saga`: an order saga (reserve stock, charge the card, ship) with compensations
// (refund, release), driven through crashes, crash points inside handlers and lost messages.
//
// Protocol: a client (the kit's client driver, one idempotency key per order) places orders, one
// at a time, with an orchestrator, which runs each order's saga: reserve at `inventory`, charge
// at `payments`, ship at `shipping`. A declined card, an undeliverable address or a payment that
// does not answer within its deadline ends the saga compensated: refund what was charged, then
// release what was reserved; no stock ends it at once. The orchestrator records each result and
// decision durably before acting; the services record each applied request under its
// idempotency key and answer a retry from the record.
//
// Logical trace π: each saga's outcome and what its customer paid net; the final stock per item.
// Admissible: the payment deadline may abort any reserved saga (and the stock it frees changes
// what later orders find), so a correct execution may mean any of the outcomes the specification
// gives for a set of aborted sagas (`allowedMeanings`, at most 16).
// Invariants (on the business outcome): money-conserved, no-unpaid-shipment, stock-conserved,
// saga-ends-done-or-compensated.
//
// Why `saga` is correct under every fault: every step and compensation is applied at most once
// per saga (one key per step, answered from the record) and retried until its result is recorded,
// so lost messages and crashes only delay it; a compensation is sent only once the step's result
// is recorded, so it undoes exactly what the step did; every saga ends, and its ending is one of
// the specification's. Variants:
//   saga                       correct                                          (holds)
//   refund-not-idempotent      payments refund the charge again at every refund request:
//                              a retried or duplicated refund pays back twice   (diverges)
//   compensate-before-outcome  an aborted saga refunds at once, before the charge's outcome
//                              is known: a charge still in flight lands after the refund
//                              found nothing, on a compensated order            (diverges)
//   retry-without-key          the charge is retried under a new key each time: a retry after
//                              a lost answer charges the card again             (diverges)

import { allowedOutcomes, defineScenario } from "../../src/index.ts";
import { clientNode } from "../../src/kit/index.ts";
import { invariants, project } from "./checks.ts";
import { allowedMeanings, drawWorkload, type Outcome, type SagaOrder, type Workload } from "./model.ts";
import { orchestrator, type OrchestratorShape } from "./orchestrator.ts";
import { service } from "./services.ts";

const CLIENT_RETRY_MS = 300;
const THINK_MAX_MS = 40;

const SHAPES: Record<string, { readonly orchestrator: OrchestratorShape; readonly refundIdempotent: boolean }> = {
  saga: { orchestrator: { waitForOutcome: true, keyedRetries: true }, refundIdempotent: true },
  "refund-not-idempotent": { orchestrator: { waitForOutcome: true, keyedRetries: true }, refundIdempotent: false },
  "compensate-before-outcome": { orchestrator: { waitForOutcome: false, keyedRetries: true }, refundIdempotent: true },
  "retry-without-key": { orchestrator: { waitForOutcome: true, keyedRetries: false }, refundIdempotent: true },
};

const client = (workload: Workload) =>
  clientNode<SagaOrder, Outcome>({
    operations: workload.orders,
    servers: ["orchestrator"],
    retryMs: CLIENT_RETRY_MS,
    thinkMs: (ctx) => ctx.random.below(THINK_MAX_MS),
    request: (call) => ({ type: "order", saga: call.key, index: call.index, order: call.operation }),
    reply: (_ctx, message) => {
      const { index, outcome } = message as { index: number; outcome: Outcome };
      return { index, output: outcome };
    },
  });

export default defineScenario<Workload>({
  name: "saga",
  description: "An order saga (reserve, charge, ship) with compensations (refund, release) through crashes and lost messages.",
  variants: [
    { name: "saga", expect: "holds", description: "Keyed, recorded steps and compensations; a compensation only once the step's outcome is known." },
    { name: "refund-not-idempotent", expect: "diverges", description: "A refund is applied again at every request: a retried refund pays back twice.", seedBudget: 2000 },
    { name: "compensate-before-outcome", expect: "diverges", description: "A timed-out payment is refunded before its outcome is known: a late charge sticks.", seedBudget: 2000 },
    { name: "retry-without-key", expect: "diverges", description: "The charge is retried under a new key: a retry after a lost answer charges twice.", seedBudget: 2000 },
  ],
  workload: drawWorkload,
  nodes: ({ variant, workload }) => {
    const shape = SHAPES[variant]!;
    return {
      client: client(workload),
      orchestrator: orchestrator(shape.orchestrator),
      inventory: service("inventory", workload, shape.refundIdempotent),
      payments: service("payments", workload, shape.refundIdempotent),
      shipping: service("shipping", workload, shape.refundIdempotent),
    };
  },
  project,
  admissible: allowedOutcomes((workload) => allowedMeanings(workload)),
  invariants,
});
