// A state-based CRDT replica. It issues its own updates, and pushes its whole state to every peer
// until each has acknowledged the latest version; a receiver merges (join), persists, then
// acknowledges. Pushing one's own updates to every peer suffices in a full mesh: each replica's
// final state reaches every other one directly, and merging is a join.
//
// Versions count the replica's own updates within one incarnation (`epoch`, persisted and bumped at
// each restart), so an acknowledgement from before a crash never counts for a state after it.
// LWW-Register: a write's stamp is max(clock, greatest stamp seen + 1), and a write waits until its
// replica has seen the previous write of the workload (see index.ts's header). LWW on the coarse
// clock (lww-coarse): writes are not chained, each stamped by the type (stampOf).

import { defineNode, type Json, type NodeContext, type NodeSpec } from "../../src/index.ts";
import type { LwwRegister, StateType } from "./stateTypes.ts";
import { dueUpdate, ownUpdatesOf, readRecord, RETRY_INTERVAL_MS, sameJson, writeRecord, type ReplicaView } from "./ownUpdates.ts";
import { updatesFor, type CrdtWorkload, type Update } from "./workload.ts";

interface GossipRecord {
  readonly [key: string]: Json;
  readonly crdt: Json;
  readonly issued: number;
  readonly epoch: number;
  /** LWW only: the greatest stamp and write index this replica has seen. */
  readonly stampSeenMs: number;
  readonly indexSeen: number;
}

export interface GossipState extends ReplicaView {
  crdt: Json;
  value: Json;
  issued: number;
  epoch: number;
  stampSeenMs: number;
  indexSeen: number;
  version: number;
  readonly acknowledged: Map<string, number>;
  workloadTimer: number | undefined;
  retryTimer: number | undefined;
}

type GossipMessage =
  | { readonly kind: "state"; readonly epoch: number; readonly version: number; readonly crdt: Json }
  | { readonly kind: "ack"; readonly epoch: number; readonly version: number };

export function gossipReplica<S extends Json>(type: StateType<S>, workload: CrdtWorkload): NodeSpec<GossipState> {
  const chained = type.name === "lww-register";
  const chain = updatesFor(type.name, workload.updates);
  const ownUpdates = ownUpdatesOf(type.name, workload);
  const persist = (state: GossipState, ctx: NodeContext): void => {
    const { crdt, issued, epoch, stampSeenMs, indexSeen } = state;
    writeRecord(ctx, { crdt, issued, epoch, stampSeenMs, indexSeen } satisfies GossipRecord);
  };
  const push = (state: GossipState, ctx: NodeContext): void => {
    let waiting = false;
    for (const peer of ctx.peers) {
      if ((state.acknowledged.get(peer) ?? 0) >= state.version) continue;
      ctx.send(peer, { kind: "state", epoch: state.epoch, version: state.version, crdt: state.crdt });
      waiting = true;
    }
    if (waiting && state.retryTimer === undefined) state.retryTimer = ctx.setTimer("retry", RETRY_INTERVAL_MS);
  };
  /** LWW: the previous write of the chain must be seen before this one is issued. */
  const ready = (state: GossipState, update: Update): boolean => {
    if (!chained) return true;
    const previous = chain[chain.indexOf(update) - 1];
    return previous === undefined || state.indexSeen >= previous.index;
  };
  const observe = (state: GossipState, crdt: Json): void => {
    if (!chained || crdt === null) return;
    const write = crdt as NonNullable<LwwRegister>;
    state.stampSeenMs = Math.max(state.stampSeenMs, write.stampMs);
    state.indexSeen = Math.max(state.indexSeen, write.index);
  };
  const issueDue = (state: GossipState, ctx: NodeContext): void => {
    const own = ownUpdates(ctx.id);
    for (;;) {
      const next = dueUpdate(state, ctx, own, state.issued);
      if (next === undefined || !ready(state, next)) return;
      const stampMs = type.stampOf?.(next) ?? Math.max(ctx.now(), state.stampSeenMs + 1);
      state.crdt = type.update(state.crdt as S, next, { replica: ctx.id, stampMs });
      observe(state, state.crdt);
      state.value = type.value(state.crdt as S);
      state.issued++;
      persist(state, ctx);
      ctx.note("issued", { index: next.index });
      state.version++;
      push(state, ctx);
    }
  };
  return defineNode<GossipState>({
    init: (ctx) => {
      const record = readRecord<GossipRecord>(ctx);
      const crdt = record?.crdt ?? type.initial();
      return {
        crdt, value: type.value(crdt as S), issued: record?.issued ?? 0, epoch: record?.epoch ?? 0,
        stampSeenMs: record?.stampSeenMs ?? 0, indexSeen: record?.indexSeen ?? -1,
        version: 0, acknowledged: new Map(), workloadTimer: undefined, retryTimer: undefined,
      };
    },
    start: issueDue,
    recover: (state, ctx) => {
      state.epoch++;
      persist(state, ctx);
      if (state.issued > 0) {
        state.version = 1;
        push(state, ctx);
      }
      issueDue(state, ctx);
    },
    message: (state, ctx, from, message) => {
      const received = message as GossipMessage;
      if (received.kind === "ack") {
        if (received.epoch === state.epoch) state.acknowledged.set(from, Math.max(state.acknowledged.get(from) ?? 0, received.version));
        return;
      }
      const merged = type.merge(state.crdt as S, received.crdt as S);
      observe(state, received.crdt);
      if (!sameJson(merged, state.crdt) || chained) {
        state.crdt = merged;
        state.value = type.value(merged);
        persist(state, ctx);
      }
      ctx.send(from, { kind: "ack", epoch: received.epoch, version: received.version });
      issueDue(state, ctx);
    },
    timer: (state, ctx, name) => {
      if (name === "retry") {
        state.retryTimer = undefined;
        push(state, ctx);
      } else {
        state.workloadTimer = undefined;
        issueDue(state, ctx);
      }
    },
  });
}
