// A Yjs replica: a Y.Doc that holds everything the replica has received, and its client's own
// document, where the client authors its edits offline (see authoring.ts). Each own update is
// applied, appended to the durable outbox and fsynced before it is sent or counts as issued; it is
// sent to every peer and resent until acknowledged. A receiver applies the update (Yjs keeps an
// update whose predecessors have not arrived as pending, and ignores what it already has),
// persists the whole document, then acknowledges.
//
// Restarts: the replica reloads its document and rebuilds its client document from the outbox,
// and keeps its client id. Reusing a client id is safe only if the restarted client has the whole
// history it had before: a client that sent an update it had not persisted would author new,
// different items at the same (client, clock) ids, which peers silently take for duplicates. The
// outbox is fsynced before the update leaves the replica, so that never happens.

import * as Y from "yjs";
import { defineNode, type Json, type NodeContext, type NodeSpec } from "../../src/index.ts";
import { RETRY_TIMER, recordAcknowledgement, reliableSender, resendUnacknowledged, retryFired, type Outbox, type ReliableSender } from "../../src/kit/index.ts";
import { authorEdit, clientDoc, clientIdOf, createDoc, decodeUpdate, encodeUpdate, type YjsWorkload } from "./authoring.ts";

const RECORD_FILE = "yjs.json";
const RETRY_INTERVAL_MS = 25;
/** The replica's own document never authors items; its id only has to differ from every client's. */
const REPLICA_DOC_ID_OFFSET = 1000;
/** Broken variant only: fresh ids are drawn above every fixed one. */
const FRESH_CLIENT_ID_MIN = 10_000;

interface YjsRecord {
  readonly [key: string]: Json;
  readonly document: string;
  readonly outbox: readonly string[];
}

export interface YjsReplicaState {
  readonly document: Y.Doc;
  readonly client: Y.Doc;
  readonly outbox: string[];
  /** Acknowledgements and the retry timer (volatile). */
  readonly sender: ReliableSender;
  workloadTimer: number | undefined;
}

type YjsMessage =
  | { readonly kind: "update"; readonly seq: number; readonly update: string }
  | { readonly kind: "ack"; readonly seq: number };

function persist(state: YjsReplicaState, ctx: NodeContext): void {
  const record: YjsRecord = { document: encodeUpdate(Y.encodeStateAsUpdate(state.document)), outbox: state.outbox };
  ctx.disk.replace(RECORD_FILE, JSON.stringify(record));
}

function outboxOf(state: YjsReplicaState): Outbox {
  return { count: state.outbox.length, messageAt: (seq) => ({ kind: "update", seq, update: state.outbox[seq]! }), retryMs: RETRY_INTERVAL_MS };
}

/** How a restarted client picks its id: the same one (correct), or a fresh one per incarnation (broken). */
export type RestartId = "same" | "fresh";

export function yjsReplica(workload: YjsWorkload, restartId: RestartId): NodeSpec<YjsReplicaState> {
  const issueDue = (state: YjsReplicaState, ctx: NodeContext): void => {
    const own = workload.edits.filter((edit) => edit.replica === ctx.id);
    for (let next = own[state.outbox.length]; next !== undefined; next = own[state.outbox.length]) {
      const waitMs = next.atMs - ctx.now();
      if (waitMs > 0) {
        state.workloadTimer ??= ctx.setTimer("workload", waitMs);
        return;
      }
      const update = authorEdit(state.client, next);
      Y.applyUpdate(state.document, update);
      state.outbox.push(encodeUpdate(update));
      persist(state, ctx);
      ctx.note("issued", { index: next.index });
      resendUnacknowledged(state.sender, ctx, outboxOf(state));
    }
  };
  return defineNode<YjsReplicaState>({
    init: (ctx) => {
      const text = ctx.disk.read(RECORD_FILE);
      const record = text === undefined ? undefined : (JSON.parse(text) as YjsRecord);
      const document = createDoc(clientIdOf(ctx.id) + REPLICA_DOC_ID_OFFSET);
      if (record !== undefined) Y.applyUpdate(document, decodeUpdate(record.document));
      const outbox = [...(record?.outbox ?? [])];
      const restarted = record !== undefined && restartId === "fresh";
      const clientId = restarted ? FRESH_CLIENT_ID_MIN + ctx.random.below(2 ** 31) : clientIdOf(ctx.id);
      return { document, client: clientDoc(clientId, outbox), outbox, sender: reliableSender(), workloadTimer: undefined };
    },
    start: issueDue,
    recover: (state, ctx) => {
      resendUnacknowledged(state.sender, ctx, outboxOf(state));
      issueDue(state, ctx);
    },
    message: (state, ctx, from, received) => {
      const message = received as YjsMessage;
      if (message.kind === "ack") return recordAcknowledgement(state.sender, from, message.seq);
      Y.applyUpdate(state.document, decodeUpdate(message.update));
      persist(state, ctx);
      ctx.send(from, { kind: "ack", seq: message.seq });
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
