// Scenario `outbox`: a service that commits a row and publishes an event about it (the dual-write
// problem), with a dead-letter queue for a poison event.
//
// Protocol: a client (the kit's client driver, one idempotency key per order) places orders with
// an order service, which commits each order's row in its log and publishes "order placed" to a
// shipping consumer, resending it on a relay timer until acknowledged. The consumer ships each
// event once (event id and shipment in one fsynced record) and acknowledges every copy. One order
// is poison: its event fails the consumer's handler, so it is delivered again, and after 3 failed
// deliveries it is moved to a dead-letter queue; an operator then asks the consumer to replay the
// queue (the cause was fixed), every 100 ms until the consumer says the poison order was shipped.
//
// Logical trace π: for each order, whether its row committed, how each of its shipments came
// (live or replay), and how often its event was dead-lettered.
// Invariants: no-phantom-event (nothing shipped from an event no committed row carries),
// no-lost-event (every committed row's event is shipped), shipped-once (every order committed and
// shipped exactly once), dead-letter-after-attempts (only a poison event, only after 3 failures).
//
// Why `outbox` projects every execution onto one logical trace: the row and the id of its event
// are one fsynced record, and the relay publishes from that record (after a restart too) until
// the consumer acknowledges, so every committed row's event is delivered, always under the id the
// row carries, and nothing is published for a row that did not commit; the consumer's shipment
// and the event id are one fsynced record, so each id ships once; the client retries with one
// key, answered from the row. The poison event fails until it is dead-lettered (once: the dead
// letter is durable), and a replay ships only dead letters not yet shipped. So every order commits
// once and ships once, the poison one by a replay, whatever the faults. Variants:
//   outbox               correct                                                   (holds)
//   publish-then-commit  the event waits in memory and is sent before the row commits:
//                        a crash point in between publishes an event for a write that
//                        never committed; the retry commits another        (diverges)
//   commit-then-publish  the event waits in memory and is sent after the row commits:
//                        a crash before the consumer acknowledged loses it (diverges)
//   replay-duplicates    a replay ships every dead letter again, shipped or not: a
//                        second replay request (lost answer, duplicate) ships twice (diverges)

import { defineScenario } from "../../src/index.ts";
import { clientNode } from "../../src/kit/index.ts";
import { invariants, project } from "./checks.ts";
import { consumer, type ConsumerShape } from "./consumer.ts";
import { drawWorkload, type Order, type PlaceOrder, type Workload } from "./model.ts";
import { operator } from "./operator.ts";
import { service, type ServiceShape } from "./service.ts";

const CLIENT_RETRY_MS = 80;
const THINK_MAX_MS = 60;

const SHAPES: Record<string, { readonly service: ServiceShape; readonly consumer: ConsumerShape }> = {
  outbox: { service: { pendingIn: "outbox", publishFirst: false }, consumer: { checkProcessed: true } },
  "publish-then-commit": { service: { pendingIn: "memory", publishFirst: true }, consumer: { checkProcessed: true } },
  "commit-then-publish": { service: { pendingIn: "memory", publishFirst: false }, consumer: { checkProcessed: true } },
  "replay-duplicates": { service: { pendingIn: "outbox", publishFirst: false }, consumer: { checkProcessed: false } },
};

const client = (workload: Workload) =>
  clientNode<Order, null>({
    operations: workload.orders,
    servers: ["service"],
    retryMs: CLIENT_RETRY_MS,
    thinkMs: (ctx) => ctx.random.below(THINK_MAX_MS),
    request: (call): PlaceOrder => ({ type: "place", index: call.index, key: call.key, order: call.operation }),
    reply: (_ctx, message) => ({ index: (message as { index: number }).index, output: null }),
  });

export default defineScenario<Workload>({
  name: "outbox",
  description: "A service commits an order row and publishes its event; a poison event goes to a dead-letter queue and is replayed.",
  variants: [
    { name: "outbox", expect: "holds", description: "Transactional outbox: row and event in one fsynced record, a relay publishes from it; deduplicating consumer." },
    { name: "publish-then-commit", expect: "diverges", description: "Dual write, event sent before the row commits: a crash in between publishes a phantom event.", seedBudget: 2000 },
    { name: "commit-then-publish", expect: "diverges", description: "Dual write, event kept in memory after the commit: a crash loses it.", seedBudget: 2000 },
    { name: "replay-duplicates", expect: "diverges", description: "A replay of the dead-letter queue ships every dead letter again: a repeated replay ships twice.", seedBudget: 2000 },
  ],
  workload: drawWorkload,
  nodes: ({ variant, workload }) => ({
    client: client(workload),
    service: service(SHAPES[variant]!.service),
    consumer: consumer(SHAPES[variant]!.consumer),
    operator: operator(workload),
  }),
  project,
  invariants,
});
