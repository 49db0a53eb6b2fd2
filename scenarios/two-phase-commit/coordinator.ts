// The coordinator: runs the transactions one after another. For each it asks every participant to
// prepare, and decides commit once all voted yes, abort on the first no or when the votes do not
// all arrive within VOTE_TIMEOUT_MS. A decision is logged (fsynced) before anyone hears it, then
// sent to every participant until each acknowledges. After a crash it reads its decisions back,
// sends them again, and runs the first undecided transaction's vote from the start.

import { defineNode, type NodeContext, type NodeId } from "../../src/index.ts";
import { RETRY_TIMER, recordAcknowledgement, reliableSender, resendUnacknowledged, retryFired, sendToAll, type Outbox, type ReliableSender } from "../../src/kit/index.ts";
import { logRecord, readLog, type Message, type Outcome, type Vote, type Workload } from "./model.ts";

export const VOTE_TIMEOUT_MS = 60;
export const DECISION_RETRY_MS = 25;
/** The pause between one transaction's decision and the next one's prepare. */
export const TRANSACTION_GAP_MS = 100;

export interface CoordinatorState {
  /** decisions[tx], durable: the transactions decided so far, in order. */
  readonly decisions: Outcome[];
  /** The transaction whose votes are being collected, and the votes so far (volatile). */
  voting: number | undefined;
  readonly votes: Map<NodeId, Vote>;
  voteTimer: number | undefined;
  readonly sender: ReliableSender;
}

/** What the coordinator decides when the vote timer fires: `abort` is correct. */
export type OnVoteTimeout = "abort" | "commit";

export function coordinator(workload: Workload, onVoteTimeout: OnVoteTimeout) {
  const outbox = (state: CoordinatorState): Outbox => ({
    count: state.decisions.length,
    messageAt: (seq) => ({ kind: "decision", seq, tx: seq, outcome: state.decisions[seq]! }),
    retryMs: DECISION_RETRY_MS,
  });
  const begin = (state: CoordinatorState, ctx: NodeContext): void => {
    const tx = state.decisions.length;
    if (tx >= workload.transactions.length) return;
    state.voting = tx;
    state.votes.clear();
    for (const participant of workload.participants) ctx.send(participant, { kind: "prepare", tx });
    state.voteTimer = ctx.setTimer("vote-timeout", VOTE_TIMEOUT_MS);
  };
  const decide = (state: CoordinatorState, ctx: NodeContext, outcome: Outcome): void => {
    const tx = state.voting!;
    ctx.cancelTimer(state.voteTimer!);
    state.voting = undefined;
    logRecord(ctx.disk, outcome);
    state.decisions.push(outcome);
    ctx.note("decided", { tx, outcome });
    sendToAll(state.sender, ctx, outbox(state).messageAt(tx), DECISION_RETRY_MS);
    if (tx + 1 < workload.transactions.length) ctx.setTimer("next", TRANSACTION_GAP_MS);
  };
  return defineNode<CoordinatorState>({
    init: (ctx) => ({ decisions: readLog(ctx.disk) as Outcome[], voting: undefined, votes: new Map(), voteTimer: undefined, sender: reliableSender() }),
    start: begin,
    recover: (state, ctx) => {
      resendUnacknowledged(state.sender, ctx, outbox(state));
      begin(state, ctx);
    },
    message: (state, ctx, from, message) => {
      const received = message as Message;
      if (received.kind === "ack") return recordAcknowledgement(state.sender, from, received.seq);
      if (received.kind !== "vote" || received.tx !== state.voting) return;
      state.votes.set(from, received.vote);
      if (received.vote === "no") decide(state, ctx, "abort");
      else if (workload.participants.every((participant) => state.votes.get(participant) === "yes")) decide(state, ctx, "commit");
    },
    timer: (state, ctx, name) => {
      if (name === RETRY_TIMER) retryFired(state.sender, ctx, outbox(state));
      if (name === "next") begin(state, ctx);
      if (name === "vote-timeout" && state.voting !== undefined) decide(state, ctx, onVoteTimeout);
    },
  });
}
