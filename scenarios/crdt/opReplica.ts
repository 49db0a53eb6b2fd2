// An operation-based CRDT replica. It turns each own update into an operation, applies it, keeps it
// in a durable outbox, and broadcasts it; it resends every operation a peer has not acknowledged.
// A receiver delivers the operation (once, by its origin and sequence number), persists, then
// acknowledges. After a restart the acknowledgements are forgotten and the whole outbox is resent:
// receivers deduplicate, so that is harmless (and fatal to a counter that does not deduplicate).

import { defineNode, type Json, type NodeContext, type NodeSpec } from "../../src/index.ts";
import { RETRY_TIMER, recordAcknowledgement, reliableSender, resendUnacknowledged, retryFired, sendToAll, type Outbox, type ReliableSender } from "../../src/kit/index.ts";
import type { OperationMessage, OpState, OpType } from "./opTypes.ts";
import { dueUpdate, ownUpdatesOf, readRecord, RETRY_INTERVAL_MS, sameJson, writeRecord, type ReplicaView } from "./ownUpdates.ts";
import type { CrdtWorkload } from "./workload.ts";

export type Deliver = <Value extends Json>(type: OpType<Value>, state: OpState<Value>, message: OperationMessage) => OpState<Value>;

interface OpRecord {
  readonly [key: string]: Json;
  readonly crdt: Json;
  readonly issued: number;
  readonly outbox: readonly OperationMessage[];
}

export interface OpReplicaState extends ReplicaView {
  crdt: Json;
  value: Json;
  issued: number;
  outbox: OperationMessage[];
  /** Acknowledgements and the retry timer (volatile). */
  readonly sender: ReliableSender;
  workloadTimer: number | undefined;
}

type OpMessage =
  | { readonly kind: "op"; readonly message: OperationMessage }
  | { readonly kind: "ack"; readonly seq: number };

export function opReplica<Value extends Json>(type: OpType<Value>, deliver: Deliver, workload: CrdtWorkload): NodeSpec<OpReplicaState> {
  const persist = (state: OpReplicaState, ctx: NodeContext): void => {
    writeRecord(ctx, { crdt: state.crdt, issued: state.issued, outbox: state.outbox } satisfies OpRecord);
  };
  const apply = (state: OpReplicaState, message: OperationMessage): boolean => {
    const next = deliver(type, state.crdt as OpState<Value>, message);
    if (sameJson(next, state.crdt)) return false;
    state.crdt = next;
    state.value = type.read(next.value);
    return true;
  };
  const outboxOf = (state: OpReplicaState): Outbox => ({
    count: state.outbox.length,
    messageAt: (seq) => ({ kind: "op", message: state.outbox[seq]! }),
    retryMs: RETRY_INTERVAL_MS,
  });
  const ownUpdates = ownUpdatesOf(type.name, workload);
  const issueDue = (state: OpReplicaState, ctx: NodeContext): void => {
    const own = ownUpdates(ctx.id);
    for (let next = dueUpdate(state, ctx, own, state.issued); next !== undefined; next = dueUpdate(state, ctx, own, state.issued)) {
      const operation = type.prepare((state.crdt as OpState<Value>).value, next, ctx.id);
      const message: OperationMessage = { origin: ctx.id, seq: state.issued, operation };
      apply(state, message);
      state.outbox.push(message);
      state.issued++;
      persist(state, ctx);
      ctx.note("issued", { index: next.index });
      sendToAll(state.sender, ctx, { kind: "op", message }, RETRY_INTERVAL_MS);
    }
  };
  return defineNode<OpReplicaState>({
    init: (ctx) => {
      const record = readRecord<OpRecord>(ctx);
      const crdt = record?.crdt ?? ({ value: type.initial(), delivered: [] } satisfies OpState<Value>);
      return {
        crdt, value: type.read((crdt as OpState<Value>).value), issued: record?.issued ?? 0, outbox: [...(record?.outbox ?? [])],
        sender: reliableSender(), workloadTimer: undefined,
      };
    },
    start: issueDue,
    recover: (state, ctx) => {
      resendUnacknowledged(state.sender, ctx, outboxOf(state));
      issueDue(state, ctx);
    },
    message: (state, ctx, from, received) => {
      const message = received as OpMessage;
      if (message.kind === "ack") return recordAcknowledgement(state.sender, from, message.seq);
      if (apply(state, message.message)) persist(state, ctx);
      ctx.send(from, { kind: "ack", seq: message.message.seq });
    },
    timer: (state, ctx, name) => {
      if (name === RETRY_TIMER) retryFired(state.sender, ctx, outboxOf(state));
      else {
        state.workloadTimer = undefined;
        issueDue(state, ctx);
      }
    },
  });
}
