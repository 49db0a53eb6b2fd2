// A participant: asked to prepare a transaction, it votes as the workload says. A yes is a
// promise, so it is logged (fsynced) before it is sent, and from then on the participant waits for
// the coordinator's decision, however long that takes. A no lets it abort at once. Every outcome it
// records is logged before it acknowledges the decision, and noted for the invariants.

import { defineNode, type NodeContext } from "../../src/index.ts";
import { logRecord, readLog, type Message, type Outcome, type Workload } from "./model.ts";

/** `abort-after-yes` only: how long a participant that voted yes waits before giving up. */
export const PATIENCE_MS = 30;

export interface ParticipantState {
  /** Transactions it voted yes on (durable). */
  readonly prepared: Set<number>;
  /** The outcome it recorded for each transaction (durable). */
  readonly outcomes: Map<number, Outcome>;
}

/** Whether a participant that voted yes may give up waiting and abort on its own: `false` is correct. */
export type GivesUp = boolean;

function readState(lines: readonly string[]): ParticipantState {
  const state: ParticipantState = { prepared: new Set(), outcomes: new Map() };
  for (const line of lines) {
    const [record, tx] = line.split(" ");
    if (record === "prepared") state.prepared.add(Number(tx));
    else state.outcomes.set(Number(tx), record as Outcome);
  }
  return state;
}

export function participant(workload: Workload, givesUp: GivesUp) {
  const record = (state: ParticipantState, ctx: NodeContext, tx: number, outcome: Outcome, because: string): void => {
    logRecord(ctx.disk, `${outcome} ${tx}`);
    state.outcomes.set(tx, outcome);
    ctx.note("recorded", { tx, outcome, because });
  };
  return defineNode<ParticipantState>({
    init: (ctx) => readState(readLog(ctx.disk)),
    message: (state, ctx, from, message) => {
      const received = message as Message;
      if (received.kind === "decision") {
        if (!state.outcomes.has(received.tx)) record(state, ctx, received.tx, received.outcome, "decision");
        ctx.send(from, { kind: "ack", seq: received.seq });
        return;
      }
      if (received.kind !== "prepare") return;
      const tx = received.tx;
      const vote = workload.transactions[tx]![ctx.id]!;
      if (vote === "no") {
        if (!state.outcomes.has(tx)) record(state, ctx, tx, "abort", "voted no");
      } else {
        if (state.outcomes.has(tx)) return; // decided already: this prepare is a stale copy
        if (!state.prepared.has(tx)) {
          logRecord(ctx.disk, `prepared ${tx}`);
          state.prepared.add(tx);
        }
        if (givesUp) ctx.setTimer("give-up", PATIENCE_MS);
      }
      ctx.note("voted", { tx, vote });
      ctx.send(from, { kind: "vote", tx, vote });
    },
    timer: (state, ctx) => {
      for (const tx of state.prepared) if (!state.outcomes.has(tx)) record(state, ctx, tx, "abort", "gave up waiting");
    },
  });
}
