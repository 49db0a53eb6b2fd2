// A Raft replica (Ongaro & Ousterhout, "In Search of an Understandable Consensus Algorithm",
// Figure 2) holding a key-value store with per-client deduplication. Each `Flaws` field, when
// set, turns one rule of the paper off: the variants of the consensus scenario.

import { defineNode, type NodeContext, type NodeId } from "../../src/index.ts";
import { applyCommand, type Store } from "./store.ts";
import { entryRecord, metaRecord, persist, readDurableState, truncateRecord, type Command, type DurableState, type Entry } from "./storage.ts";
import type { ClientMessage, RaftMessage } from "./messages.ts";

/** The rules a variant breaks; all false is Raft. */
export interface Flaws {
  /** Grant a vote without persisting it first (a restarted node may vote again in the term). */
  readonly volatileVote: boolean;
  /** Commit an entry as soon as the leader has it (the first acknowledgement: its own). */
  readonly commitOnFirstAck: boolean;
  /** Apply every command, retries included. */
  readonly noDedup: boolean;
  /** Keep an entry that conflicts with the leader's instead of deleting it and all that follow. */
  readonly keepConflicts: boolean;
  /** Grant a vote to a candidate whose log is at least as long, whatever the term of its last entry (§5.4.1 compares terms first). */
  readonly voteByLength: boolean;
  /**
   * Figure 8 as the paper draws it: a new leader appends nothing of its own term, and commits an
   * entry of an earlier term as soon as a majority stores it (§5.4.2 counts only its own term's).
   */
  readonly commitOldTerm: boolean;
}

export const RAFT_TIMING = {
  heartbeatMs: 50,
  electionTimeoutMinMs: 150,
  electionTimeoutMaxMs: 300,
  /** Entries per AppendEntries message, by default: the `batch` size (drawn per seed under swarm). */
  entriesPerMessageMax: 16,
} as const;

export interface RaftState extends DurableState {
  role: "follower" | "candidate" | "leader";
  leader: NodeId | null;
  commitIndex: number;
  lastApplied: number;
  readonly store: Store;
  /** As a candidate: the replicas that granted their vote this term (itself included). */
  readonly grants: Set<NodeId>;
  readonly nextIndex: Map<NodeId, number>;
  readonly matchIndex: Map<NodeId, number>;
  /** As a follower: this replica granted its vote in its current term (what `roles` calls a voter). */
  grantedThisTerm: boolean;
  electionTimer: number | undefined;
  heartbeatTimer: number | undefined;
}

export function raftNode(replicas: readonly NodeId[], flaws: Flaws, entriesPerMessageMax: number = RAFT_TIMING.entriesPerMessageMax) {
  const others = (ctx: NodeContext) => replicas.filter((id) => id !== ctx.id);
  const majority = Math.floor(replicas.length / 2) + 1;
  const lastTerm = (state: RaftState) => state.log[state.log.length - 1]?.term ?? 0;

  const resetElectionTimer = (state: RaftState, ctx: NodeContext) => {
    if (state.electionTimer !== undefined) ctx.cancelTimer(state.electionTimer);
    state.electionTimer = ctx.setTimer("election", ctx.random.between(RAFT_TIMING.electionTimeoutMinMs, RAFT_TIMING.electionTimeoutMaxMs));
  };

  /** A higher term seen: follow it, with no vote yet. The caller persists. */
  const adoptTerm = (state: RaftState, ctx: NodeContext, term: number) => {
    state.term = term;
    state.votedFor = null;
    state.grantedThisTerm = false;
    stepDown(state, ctx);
  };

  const stepDown = (state: RaftState, ctx: NodeContext) => {
    if (state.role !== "follower") {
      state.role = "follower";
      if (state.heartbeatTimer !== undefined) ctx.cancelTimer(state.heartbeatTimer);
      state.heartbeatTimer = undefined;
      resetElectionTimer(state, ctx);
    }
  };

  const sendAppend = (state: RaftState, ctx: NodeContext, peer: NodeId) => {
    const prevIndex = state.nextIndex.get(peer)! - 1;
    const entries = state.log.slice(prevIndex, prevIndex + entriesPerMessageMax);
    const prevTerm = state.log[prevIndex - 1]?.term ?? 0;
    ctx.send(peer, { type: "append", term: state.term, prevIndex, prevTerm, entries, commit: state.commitIndex });
  };

  const broadcast = (state: RaftState, ctx: NodeContext) => {
    for (const peer of others(ctx)) {
      if (state.role === "leader") sendAppend(state, ctx, peer);
      else if (!state.grants.has(peer)) ctx.send(peer, { type: "vote", term: state.term, lastIndex: state.log.length, lastTerm: lastTerm(state) });
    }
    state.heartbeatTimer = ctx.setTimer("heartbeat", RAFT_TIMING.heartbeatMs);
  };

  const apply = (state: RaftState, ctx: NodeContext) => {
    while (state.lastApplied < state.commitIndex) {
      const index = ++state.lastApplied;
      const command = state.log[index - 1]!.command;
      ctx.note("apply", { index, command: command === null ? "no-op" : `${command.client}#${command.seq} ${command.op} ${command.key}` });
      if (command === null) continue;
      const result = applyCommand(state.store, command, !flaws.noDedup);
      const reply: ClientMessage = { type: "reply", seq: command.seq, result };
      if (state.role === "leader") ctx.send(command.client, reply);
    }
  };

  const advanceCommit = (state: RaftState, ctx: NodeContext) => {
    let index = state.log.length;
    for (; index > state.commitIndex; index--) {
      if (state.log[index - 1]!.term !== state.term && !flaws.commitOldTerm) return; // only entries of its own term are counted
      let replicas = 1;
      for (const peer of others(ctx)) if (state.matchIndex.get(peer)! >= index) replicas++;
      if (replicas >= majority || flaws.commitOnFirstAck) break;
    }
    if (index <= state.commitIndex) return;
    const terms = state.log.slice(state.commitIndex, index).map((entry) => entry.term);
    ctx.note("commit", { from: state.commitIndex + 1, terms, leaderTerm: state.term });
    state.commitIndex = index;
    apply(state, ctx);
  };

  const becomeLeader = (state: RaftState, ctx: NodeContext) => {
    state.role = "leader";
    state.leader = ctx.id;
    for (const peer of others(ctx)) {
      state.nextIndex.set(peer, state.log.length + 1);
      state.matchIndex.set(peer, 0);
    }
    ctx.note("leader", { term: state.term, logTerms: state.log.map((entry) => entry.term) });
    if (!flaws.commitOldTerm) appendToOwnLog(state, ctx, { term: state.term, command: null });
    if (state.heartbeatTimer !== undefined) ctx.cancelTimer(state.heartbeatTimer);
    broadcast(state, ctx);
  };

  const appendToOwnLog = (state: RaftState, ctx: NodeContext, entry: Entry) => {
    state.log.push(entry);
    persist(ctx.disk, [entryRecord(state.log.length, entry)]);
    advanceCommit(state, ctx);
  };

  const startElection = (state: RaftState, ctx: NodeContext) => {
    state.role = "candidate";
    state.term++;
    state.votedFor = ctx.id;
    state.leader = null;
    state.grants.clear();
    state.grants.add(ctx.id);
    persist(ctx.disk, [metaRecord(state.term, state.votedFor)]);
    resetElectionTimer(state, ctx);
    if (state.heartbeatTimer !== undefined) ctx.cancelTimer(state.heartbeatTimer);
    if (state.grants.size >= majority) return becomeLeader(state, ctx);
    broadcast(state, ctx);
  };

  const onVote = (state: RaftState, ctx: NodeContext, from: NodeId, message: Extract<RaftMessage, { type: "vote" }>) => {
    const before = metaRecord(state.term, state.votedFor);
    if (message.term > state.term) adoptTerm(state, ctx, message.term);
    const upToDate = flaws.voteByLength
      ? message.lastIndex >= state.log.length
      : message.lastTerm > lastTerm(state) || (message.lastTerm === lastTerm(state) && message.lastIndex >= state.log.length);
    const granted = message.term === state.term && (state.votedFor === null || state.votedFor === from) && upToDate;
    if (granted) {
      state.votedFor = from;
      state.grantedThisTerm = true;
      resetElectionTimer(state, ctx);
    }
    const after = metaRecord(state.term, state.votedFor);
    if (JSON.stringify(after) !== JSON.stringify(before) && !(granted && flaws.volatileVote)) persist(ctx.disk, [after]);
    ctx.send(from, { type: "voteReply", term: state.term, granted });
  };

  const onAppend = (state: RaftState, ctx: NodeContext, from: NodeId, message: Extract<RaftMessage, { type: "append" }>) => {
    if (message.term < state.term) return ctx.send(from, { type: "appendReply", term: state.term, success: false, matchIndex: 0 });
    if (message.term > state.term) {
      adoptTerm(state, ctx, message.term);
      persist(ctx.disk, [metaRecord(state.term, state.votedFor)]);
    }
    if (state.role === "leader") return; // another leader in this term: impossible unless a variant broke election safety
    stepDown(state, ctx);
    state.leader = from;
    resetElectionTimer(state, ctx);
    const { prevIndex, prevTerm, entries } = message;
    if (prevIndex > state.log.length || (prevIndex > 0 && state.log[prevIndex - 1]!.term !== prevTerm)) {
      return ctx.send(from, { type: "appendReply", term: state.term, success: false, matchIndex: Math.min(state.log.length, prevIndex - 1) });
    }
    const records = [];
    for (let offset = 0; offset < entries.length; offset++) {
      const index = prevIndex + 1 + offset;
      const entry = entries[offset]!;
      if (index <= state.log.length) {
        if (state.log[index - 1]!.term === entry.term || flaws.keepConflicts) continue;
        state.log.length = index - 1;
        records.push(truncateRecord(index - 1));
      }
      state.log.push(entry);
      records.push(entryRecord(index, entry));
    }
    persist(ctx.disk, records);
    const lastNewIndex = prevIndex + entries.length;
    if (message.commit > state.commitIndex) state.commitIndex = Math.max(state.commitIndex, Math.min(message.commit, lastNewIndex));
    apply(state, ctx);
    ctx.send(from, { type: "appendReply", term: state.term, success: true, matchIndex: lastNewIndex });
  };

  const onReply = (state: RaftState, ctx: NodeContext, from: NodeId, message: RaftMessage) => {
    if (message.type !== "voteReply" && message.type !== "appendReply") return;
    if (message.term > state.term) {
      adoptTerm(state, ctx, message.term);
      return persist(ctx.disk, [metaRecord(state.term, state.votedFor)]);
    }
    if (message.term < state.term) return;
    if (message.type === "voteReply") {
      if (state.role !== "candidate") return;
      if (!message.granted) return;
      state.grants.add(from);
      if (state.grants.size >= majority) becomeLeader(state, ctx);
      return;
    }
    if (state.role !== "leader") return;
    if (message.success) {
      state.matchIndex.set(from, Math.max(state.matchIndex.get(from)!, message.matchIndex));
      state.nextIndex.set(from, state.matchIndex.get(from)! + 1);
      return advanceCommit(state, ctx);
    }
    state.nextIndex.set(from, Math.max(1, Math.min(state.nextIndex.get(from)! - 1, message.matchIndex + 1)));
    sendAppend(state, ctx, from);
  };

  const onRequest = (state: RaftState, ctx: NodeContext, from: NodeId, command: Command) => {
    const redirect: ClientMessage = { type: "redirect", seq: command.seq, leader: state.leader };
    if (state.role !== "leader") return ctx.send(from, redirect);
    appendToOwnLog(state, ctx, { term: state.term, command });
    for (const peer of others(ctx)) sendAppend(state, ctx, peer);
  };

  const boot = (state: RaftState, ctx: NodeContext) => resetElectionTimer(state, ctx);

  return defineNode<RaftState>({
    init: (ctx) => ({
      ...readDurableState(ctx.disk),
      role: "follower",
      leader: null,
      commitIndex: 0,
      lastApplied: 0,
      store: { values: new Map(), sessions: new Map() },
      grants: new Set(),
      nextIndex: new Map(),
      matchIndex: new Map(),
      grantedThisTerm: false,
      electionTimer: undefined,
      heartbeatTimer: undefined,
    }),
    start: boot,
    recover: boot,
    message: (state, ctx, from, raw) => {
      const message = raw as RaftMessage;
      switch (message.type) {
        case "vote":
          return onVote(state, ctx, from, message);
        case "append":
          return onAppend(state, ctx, from, message);
        case "request":
          return onRequest(state, ctx, from, message.command);
        default:
          return onReply(state, ctx, from, message);
      }
    },
    timer: (state, ctx, name) => {
      if (name === "election") {
        state.electionTimer = undefined;
        if (state.role !== "leader") startElection(state, ctx);
      } else if (name === "heartbeat" && state.role !== "follower") broadcast(state, ctx);
    },
  });
}
