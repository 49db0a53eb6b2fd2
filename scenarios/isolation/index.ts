// Scenario `isolation`: write skew and lost update over a transactional store.
//
// Protocol: one store node holds a multi-version key-value map (store.ts) at an isolation level;
// doctors and tellers are the kit's transactional clients (src/kit/transactionClient.ts): each
// transaction reads (one round trip, a snapshot), decides its writes from what it read, and
// commits (a second round trip), resending each until answered and retrying an aborted
// transaction from a fresh read. Every doctor, all on call, runs "go off call if at least two are
// on call"; every teller increments a shared counter (model.ts). Each decided attempt is noted as
// a transaction of the history checker's format.
//
// Logical trace π: who is still on call, and the counter's value. It is not one value: which
// doctor stays depends on which transaction commits last, so every serial order's outcome is
// admissible (exactly one doctor on call, every increment counted).
// Invariants: serializable-history (checkTransactions at `serializable` on the recorded history:
// its message leads with the anomaly and its cycle), someone-on-call, every-increment-counted,
// store-keeps-its-level (the history at the store's own level: holds in every variant).
//
// Why `serializable` holds: a commit aborts if any key it read or writes changed since its reads,
// so each committed transaction saw exactly the state at its commit point: the commits run as if
// serially in commit order. Crashes lose no answered commit (the store records each decision
// before answering, the clients their commit before sending it), and retries are answered from
// the record. `snapshot-materialized` holds for the same reason on the doctors' side (every two
// transactions that both write conflict on the roster row, and a doctor's transaction that writes
// nothing only reads) and because first-committer-wins prevents lost updates on the counter.
// Variants:
//   serializable                correct                                               (holds)
//   snapshot-materialized       snapshot isolation, the conflict materialized: a doctor
//                               who leaves also writes the roster row, so two leaving
//                               at once conflict and the second aborts             (holds)
//   snapshot-write-skew         validates only the keys a commit writes: two doctors
//                               read each other on call and both leave              (diverges)
//   read-committed-lost-update  validates nothing: two tellers read the same counter
//                               and one increment overwrites the other              (diverges)

import { defineScenario } from "../../src/index.ts";
import { transactionClient } from "../../src/kit/index.ts";
import { admissible, invariants, project, STORE_LEVELS } from "./checks.ts";
import { drawWorkload, readsOf, writesOf, type Plan, type Workload } from "./model.ts";
import { store } from "./store.ts";

const RETRY_MS = 60;
const THINK_MS_MAX = 20;

function client(workload: Workload, transactions: readonly Plan[], materialize: boolean) {
  return transactionClient<Plan>({
    transactions,
    store: "store",
    retryMs: RETRY_MS,
    thinkMs: (ctx) => ctx.random.below(THINK_MS_MAX),
    reads: (plan) => readsOf(plan, workload),
    writes: (plan, values, txn) => writesOf(plan, values, txn, materialize),
  });
}

export default defineScenario<Workload>({
  name: "isolation",
  description: "Doctors on call and a shared counter over a transactional store: write skew under snapshot isolation, lost update under read committed.",
  variants: [
    { name: "serializable", expect: "holds", description: "A commit aborts if anything it read or writes changed since its reads." },
    { name: "snapshot-materialized", expect: "holds", description: "Snapshot isolation, and a doctor who leaves also writes the shared roster row: first committer wins." },
    { name: "snapshot-write-skew", expect: "diverges", description: "Snapshot isolation (first committer wins on written keys): two doctors both go off call.", seedBudget: 500 },
    { name: "read-committed-lost-update", expect: "diverges", description: "Read committed (no validation): concurrent increments overwrite each other.", seedBudget: 500 },
  ],
  workload: drawWorkload,
  nodes: ({ variant, workload }) => {
    const materialize = variant === "snapshot-materialized";
    const doctors = workload.doctors.map((doctor) => [doctor, client(workload, [{ kind: "leave-if-covered", doctor }], materialize)] as const);
    const tellers = Object.entries(workload.tellers).map(([teller, count]) => [teller, client(workload, Array.from({ length: count }, (): Plan => ({ kind: "increment" })), materialize)] as const);
    return { store: store(STORE_LEVELS[variant]!), ...Object.fromEntries(doctors), ...Object.fromEntries(tellers) };
  },
  project,
  admissible,
  invariants,
});
