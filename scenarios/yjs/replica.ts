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
//
// The broken variant does exactly that (`ownUpdates: "lazy"`): like an editor that keeps its client
// id and the user's progress in synchronous storage (localStorage) but saves its document in the
// background (IndexedDB), it sends each own update at once and stores it only with the next
// update it receives (the same write and fsync). A crash in between loses the client's newest
// updates, though peers may hold them; the user does not make those edits again, and the restarted
// client, with the same id and a shorter history, authors its next edit at the clocks the lost ones
// had. Peers drop it as a duplicate of what they hold; it keeps its own: the replicas agree on the
// state vector and disagree on the content.

import * as Y from "yjs";
import { defineNode, type Json, type NodeContext, type NodeSpec } from "../../src/index.ts";
import { RETRY_TIMER, recordAcknowledgement, reliableSender, resendUnacknowledged, retryFired, type Outbox, type ReliableSender } from "../../src/kit/index.ts";
import { authorEdit, clientDoc, clientIdOf, createDoc, decodeUpdate, encodeUpdate, type YjsWorkload } from "./authoring.ts";

const RECORD_FILE = "yjs.json";
/** Broken variant only: how many of its edits the user made (kept at once, like the client id). */
const TYPED_FILE = "typed.json";
const RETRY_INTERVAL_MS = 25;
/** The replica's own document never authors items; its id only has to differ from every client's. */
const REPLICA_DOC_ID_OFFSET = 1000;

interface YjsRecord {
  readonly [key: string]: Json;
  readonly document: string;
  readonly outbox: readonly string[];
}

export interface YjsReplicaState {
  readonly document: Y.Doc;
  readonly client: Y.Doc;
  readonly outbox: string[];
  /** How many of its own edits the client has made: the outbox's length, unless a crash lost some. */
  typed: number;
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

/**
 * How a replica keeps its own updates: fsynced before they leave it (correct), or written lazily
 * while the client id and the count of edits made are kept at once (broken: see the header).
 */
export type OwnUpdates = "fsync-before-send" | "lazy";

export function yjsReplica(workload: YjsWorkload, ownUpdates: OwnUpdates): NodeSpec<YjsReplicaState> {
  const lazy = ownUpdates === "lazy";
  const issueDue = (state: YjsReplicaState, ctx: NodeContext): void => {
    const own = workload.edits.filter((edit) => edit.replica === ctx.id);
    for (let next = own[state.typed]; next !== undefined; next = own[state.typed]) {
      const waitMs = next.atMs - ctx.now();
      if (waitMs > 0) {
        state.workloadTimer ??= ctx.setTimer("workload", waitMs);
        return;
      }
      const update = authorEdit(state.client, next);
      Y.applyUpdate(state.document, update);
      state.outbox.push(encodeUpdate(update));
      state.typed++;
      if (!lazy) persist(state, ctx);
      else {
        ctx.disk.write(TYPED_FILE, String(state.typed));
        ctx.disk.fsync(TYPED_FILE);
      }
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
      const typedText = lazy ? ctx.disk.read(TYPED_FILE) : undefined;
      const typed = typedText === undefined ? outbox.length : Number(typedText);
      return { document, client: clientDoc(clientIdOf(ctx.id), outbox), outbox, typed, sender: reliableSender(), workloadTimer: undefined };
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
