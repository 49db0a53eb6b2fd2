// π, the admissible outcomes and the invariants of the two-phase-commit scenario. π reads the
// outcome every node recorded for every transaction; the invariants read the same states and the
// nodes' notes ("voted", "decided", "recorded"), which say when and why each outcome was recorded.

import { allowedOutcomes, type Breach, type ExecutionView, type Invariant, type Json } from "../../src/index.ts";
import type { CoordinatorState } from "./coordinator.ts";
import { allVoteYes, type Outcome, type Vote, type Workload } from "./model.ts";
import type { ParticipantState } from "./participant.ts";

type View = ExecutionView<Workload>;
/** One transaction's outcome at each node: null where the node never learned it. */
type TransactionOutcomes = Readonly<Record<string, Outcome | null>>;

const COORDINATOR = "coordinator";

function outcomesOf(view: View): TransactionOutcomes[] {
  const decisions = view.state<CoordinatorState>(COORDINATOR).decisions;
  const participants = view.workload.participants.map((participant) => [participant, view.state<ParticipantState>(participant).outcomes] as const);
  return view.workload.transactions.map((_, tx) => {
    const outcomes: Record<string, Outcome | null> = { [COORDINATOR]: decisions[tx] ?? null };
    for (const [participant, recorded] of participants) outcomes[participant] = recorded.get(tx) ?? null;
    return outcomes;
  });
}

/** π: for each transaction, the outcome the coordinator and each participant recorded. */
export function project(view: View): Json {
  return outcomesOf(view);
}

/**
 * The admissible logical traces: every node records one outcome per transaction, and it is abort
 * unless every participant votes yes, when it may be commit or abort (the coordinator aborts when
 * the votes do not arrive in time). One outcome per combination of commit or abort.
 */
export const admissible = allowedOutcomes<Workload>((workload) => {
  const everyone = (outcome: Outcome) => Object.fromEntries([COORDINATOR, ...workload.participants].map((node) => [node, outcome]));
  let traces: Json[][] = [[]];
  workload.transactions.forEach((_, tx) => {
    const choices: Outcome[] = allVoteYes(workload, tx) ? ["commit", "abort"] : ["abort"];
    traces = traces.flatMap((trace) => choices.map((outcome) => [...trace, everyone(outcome)]));
  });
  return traces;
});

interface Recorded {
  readonly tx: number;
  readonly outcome: Outcome;
}

/** The trace index of the first note recording `tx` with `outcome`, by the coordinator or a participant. */
function whereRecorded(view: View, tx: number, outcome: Outcome): number | undefined {
  const notes = [...view.notes("decided"), ...view.notes("recorded")].sort((a, b) => a.traceIndex - b.traceIndex);
  return notes.find((note) => {
    const value = note.value as unknown as Recorded;
    return value.tx === tx && value.outcome === outcome;
  })?.traceIndex;
}

function breach(message: string, traceIndex: number | undefined): Breach {
  return traceIndex === undefined ? { message } : { message, traceIndex };
}

export const invariants: readonly Invariant<Workload>[] = [
  {
    name: "atomicity",
    description: "Every transaction is all-commit or all-abort: no node records commit while another records abort.",
    check: (view) =>
      outcomesOf(view).flatMap((outcomes, tx) => {
        const by = (outcome: Outcome) => Object.keys(outcomes).filter((node) => outcomes[node] === outcome);
        const [committed, aborted] = [by("commit"), by("abort")];
        if (committed.length === 0 || aborted.length === 0) return [];
        // Where it broke: whichever of the two outcomes was recorded second.
        const [commitAt, abortAt] = [whereRecorded(view, tx, "commit") ?? -1, whereRecorded(view, tx, "abort") ?? -1];
        return [breach(`transaction ${tx}: committed by ${committed.join(", ")}; aborted by ${aborted.join(", ")}`, Math.max(commitAt, abortAt))];
      }),
  },
  {
    name: "validity",
    description: "A transaction commits only if every participant voted yes on it before the commit.",
    check: (view) => {
      const breaches: Breach[] = [];
      view.workload.transactions.forEach((_, tx) => {
        const commitAt = whereRecorded(view, tx, "commit");
        if (commitAt === undefined) return;
        const yes = new Set(
          view.notes("voted")
            .filter((note) => note.traceIndex < commitAt && (note.value as unknown as { tx: number; vote: Vote }).tx === tx && (note.value as unknown as { vote: Vote }).vote === "yes")
            .map((note) => note.node),
        );
        const missing = view.workload.participants.filter((participant) => !yes.has(participant));
        if (missing.length === 0) return;
        const how = missing.map((participant) => `${participant} ${view.workload.transactions[tx]![participant] === "no" ? "votes no" : "had not voted yes"}`).join(", ");
        breaches.push(breach(`transaction ${tx} was committed though ${how}`, commitAt));
      });
      return breaches;
    },
  },
  {
    name: "termination",
    description: "After heal, the coordinator and every participant have recorded the outcome of every transaction.",
    check: (view) =>
      outcomesOf(view).flatMap((outcomes, tx) =>
        Object.keys(outcomes).filter((node) => outcomes[node] === null).map((node) => `${node} never learned the outcome of transaction ${tx}`),
      ),
  },
];
