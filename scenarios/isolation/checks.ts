// π, the admissible outcomes and the invariants of the isolation scenario. The invariants read the
// history the transactional clients noted (`transactionHistory`) and the store's final data.

import { allowedOutcomes, checkTransactions, type ExecutionView, type Invariant, type IsolationLevel, type Json } from "../../src/index.ts";
import { transactionHistory } from "../../src/kit/index.ts";
import { COUNTER_KEY, counterOf, incrementsOf, onCall, type Workload } from "./model.ts";
import { latest, type StoreState } from "./store.ts";

type View = ExecutionView<Workload>;

/** What the store ended with: who is on call, and the counter. */
function finalState(view: View): { readonly onCall: string[]; readonly counter: number } {
  const data = view.state<StoreState>("store").data;
  return { onCall: view.workload.doctors.filter((doctor) => onCall(latest(data, doctor))), counter: counterOf(latest(data, COUNTER_KEY)) };
}

/** π: the doctors left on call and the counter's final value. */
export function project(view: View): Json {
  return finalState(view);
}

/** Every serial order leaves exactly one doctor on call (any one of them) and counts every increment. */
export const admissible = allowedOutcomes<Workload>((workload) =>
  workload.doctors.map((doctor) => ({ onCall: [doctor], counter: incrementsOf(workload) })),
);

/** The anomalies `level` forbids in the clients' history, each summary leading with its name. */
function historyAnomalies(view: View, level: IsolationLevel): string[] | string | undefined {
  const result = checkTransactions(transactionHistory(view.notes), { level });
  if (result.verdict === "holds") return undefined;
  if (result.verdict === "unknown") return `unknown: ${result.reason}`;
  return result.anomalies.map((anomaly) => anomaly.summary);
}

/** The level each variant's store claims. */
export const STORE_LEVELS: Readonly<Record<string, IsolationLevel>> = {
  serializable: "serializable",
  "snapshot-materialized": "snapshot",
  "snapshot-write-skew": "snapshot",
  "read-committed-lost-update": "read-committed",
};

export const invariants: readonly Invariant<Workload>[] = [
  {
    name: "serializable-history",
    description: "The committed transactions' history is serializable (the application's rules assume it): no dependency cycle, no lost update.",
    check: (view) => historyAnomalies(view, "serializable"),
  },
  {
    name: "someone-on-call",
    description: "At least one doctor is still on call.",
    check: (view) => {
      const { onCall } = finalState(view);
      return onCall.length > 0 ? undefined : `nobody on call: every doctor (${view.workload.doctors.join(", ")}) went off call`;
    },
  },
  {
    name: "every-increment-counted",
    description: "The counter equals the number of increments (each committed exactly once).",
    check: (view) => {
      const expected = incrementsOf(view.workload);
      const { counter } = finalState(view);
      if (counter === expected) return undefined;
      return `counter is ${counter}, expected ${expected} (one per increment): ${Math.abs(expected - counter)} ${counter < expected ? "lost" : "applied twice"}`;
    },
  },
  {
    name: "store-keeps-its-level",
    description: "The history shows no anomaly the store's own isolation level forbids.",
    check: (view) => historyAnomalies(view, STORE_LEVELS[view.variant] ?? "serializable"),
  },
];
