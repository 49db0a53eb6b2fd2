// Scenario `causality`: Lamport clocks, vector clocks and causal broadcast over a faulty network.
//
// Protocol: three processes each broadcast a few messages to the others with the kit's reliable
// send and deliver them in causal order (Birman–Schiper–Stephenson delivery vectors); every
// broadcast and delivery is an event stamped with a Lamport clock and a vector clock, all kept in
// one durable record (process.ts).
//
// Logical trace π: what each process delivered (sorted): every message, once faults heal.
// Invariants (checks.ts), each against happens-before computed from the trace's notes of
// broadcasts and deliveries, not from the clocks: lamport-order (a → b ⇒ L(a) < L(b)),
// vector-exact (a → b ⇔ V(a) < V(b): concurrency detected exactly), causal-delivery.
//
// Why `causal` holds: a delivery merges the message's stamps before it ticks, so each event's
// stamps dominate every event that happens before it (Lamport 1978; Fidge and Mattern 1988); the
// vector's entry j counts j's events that happen before, so the order is exact. A message is
// delivered only when every broadcast its sender had delivered is delivered here. Variants:
//   causal              correct                                                     (holds)
//   lamport-no-max      a delivery ticks L without the message's stamp             (diverges)
//   vector-no-merge     a delivery ticks V without merging the message's vector    (diverges)
//   deliver-on-arrival  a new message is delivered at once, without waiting       (diverges)

import { defineScenario, type Random } from "../../src/index.ts";
import { invariants, project, type Workload } from "./checks.ts";
import { processNode, type Bug } from "./process.ts";

const BUGS: Record<string, Bug> = { causal: "none", "lamport-no-max": "lamport-no-max", "vector-no-merge": "vector-no-merge", "deliver-on-arrival": "deliver-on-arrival" };

export default defineScenario<Workload>({
  name: "causality",
  description: "Lamport and vector clocks over causal broadcast: happens-before, exact concurrency, causal delivery.",
  variants: [
    { name: "causal", expect: "holds", description: "Stamps merged before each tick; delivery waits for causal predecessors." },
    { name: "lamport-no-max", expect: "diverges", description: "A delivery ticks the Lamport clock without the message's stamp.", seedBudget: 500 },
    { name: "vector-no-merge", expect: "diverges", description: "A delivery ticks the vector clock without merging the message's vector.", seedBudget: 500 },
    { name: "deliver-on-arrival", expect: "diverges", description: "Messages are delivered as they arrive, not in causal order.", seedBudget: 500 },
  ],
  workload: (random: Random) => ({ processes: ["p1", "p2", "p3"], broadcasts: 2 + random.below(2) }),
  nodes: ({ variant, workload }) => Object.fromEntries(workload.processes.map((id) => [id, processNode(workload.processes, workload.broadcasts, BUGS[variant]!)])),
  project,
  invariants,
});
