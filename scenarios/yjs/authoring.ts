// The Yjs scenario's logical input and how a replica's client turns it into Yjs updates.
//
// Each replica has a client that edits offline: against its own history only (its own earlier
// edits), never against what its replica happened to receive. So every Yjs update, items and
// origins included, is a function of the workload and the client's id; Yjs promises that the same
// set of updates merges to the same document in any order, so the converged content is one per
// workload. Concurrent inserts at one position (every client starts at index 0 of an empty text)
// are ordered by Yjs by client id; concurrent sets of one map key resolve by client id too.
//
// Client ids: Yjs's `new Y.Doc()` draws a random 32-bit clientID (lib0's random.uint32). The
// public property `doc.clientID` is set right after construction, before any transaction, to a
// fixed id per replica (CLIENT_ID_BASE + replica index), and `guid` is passed so no uuid is drawn.

import * as Y from "yjs";
import type { Json, Random } from "../../src/index.ts";

export const REPLICAS = ["r0", "r1", "r2"] as const;
export const EDIT_COUNT = 15;
export const EDIT_SPAN_MS = 900;
export const MAP_KEYS = ["title", "owner", "status"] as const;
export const CLIENT_ID_BASE = 101;
/** The id a document has while it loads persisted updates: no client authors with it. */
export const LOADING_CLIENT_ID = 1;
const DOC_GUID = "dsim-yjs";

export type Edit =
  | { readonly [key: string]: Json; readonly kind: "set"; readonly index: number; readonly replica: string; readonly atMs: number; readonly key: string; readonly value: string }
  | { readonly [key: string]: Json; readonly kind: "insert"; readonly index: number; readonly replica: string; readonly atMs: number; readonly permille: number; readonly text: string }
  | { readonly [key: string]: Json; readonly kind: "delete"; readonly index: number; readonly replica: string; readonly atMs: number; readonly permille: number; readonly length: number };

export interface YjsWorkload {
  readonly [key: string]: Json;
  readonly edits: readonly Edit[];
}

export function drawYjsWorkload(random: Random): YjsWorkload {
  const times = Array.from({ length: EDIT_COUNT }, () => random.below(EDIT_SPAN_MS)).sort((a, b) => a - b);
  const edits = times.map((atMs, index): Edit => {
    const replica = random.pick(REPLICAS);
    const roll = random.next();
    const permille = random.below(1000);
    if (roll < 0.3) return { kind: "set", index, replica, atMs, key: random.pick(MAP_KEYS), value: `${replica}.${index}` };
    if (roll < 0.8) return { kind: "insert", index, replica, atMs, permille, text: `<${index}${"abc"[random.below(3)]}>` };
    return { kind: "delete", index, replica, atMs, permille, length: random.between(1, 4) };
  });
  return { edits };
}

export function clientIdOf(replica: string): number {
  const index = REPLICAS.indexOf(replica as (typeof REPLICAS)[number]);
  if (index < 0) throw new TypeError(`no replica '${replica}'`);
  return CLIENT_ID_BASE + index;
}

/** A Y.Doc with a fixed client id: the constructor's random id is replaced before any transaction. */
export function createDoc(clientId: number): Y.Doc {
  const doc = new Y.Doc({ guid: DOC_GUID });
  doc.clientID = clientId;
  return doc;
}

/** Applies one edit to the client's own document and returns the Yjs update it produced. */
export function authorEdit(doc: Y.Doc, edit: Edit): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.transact(() => {
    const text = doc.getText("text");
    if (edit.kind === "set") doc.getMap("map").set(edit.key, edit.value);
    else if (edit.kind === "insert") text.insert(Math.floor((edit.permille * (text.length + 1)) / 1000), edit.text);
    else if (text.length > 0) {
      const start = Math.floor((edit.permille * text.length) / 1000);
      text.delete(start, Math.min(edit.length, text.length - start));
    }
  });
  return Y.encodeStateAsUpdate(doc, before);
}

/**
 * The client's document rebuilt from its own updates (after a restart), keeping `clientId`.
 * An update that carries the document's own client id makes Yjs take a fresh random id when it is
 * applied ("Changed the client-id because another client seems to be using it"), a draw from
 * node:crypto that the simulator can neither see nor seed: Yjs cannot tell a restarted client
 * from a second client that shares its id. So the history is loaded under LOADING_CLIENT_ID, an id
 * no client ever authors with, and the client's id is set back afterwards: safe, because the
 * loaded history is all this id ever authored (replica.ts persists before sending), so its next
 * edit continues at the next clock.
 */
export function clientDoc(clientId: number, ownUpdates: readonly string[]): Y.Doc {
  const doc = createDoc(LOADING_CLIENT_ID);
  for (const update of ownUpdates) Y.applyUpdate(doc, decodeUpdate(update));
  if (doc.clientID !== LOADING_CLIENT_ID) throw new Error(`Yjs changed client id ${LOADING_CLIENT_ID} to ${doc.clientID} while loading`);
  doc.clientID = clientId;
  return doc;
}

export interface Content {
  readonly [key: string]: Json;
  readonly map: { readonly [key: string]: Json };
  readonly text: string;
}

export function contentOf(doc: Y.Doc): Content {
  const map: Record<string, Json> = {};
  const shared = doc.getMap<string>("map");
  for (const key of [...shared.keys()].sort()) map[key] = shared.get(key)!;
  return { map, text: doc.getText("text").toString() };
}

/** The content the workload means: every client's updates, authored offline, merged in one document. */
export function expectedContent(workload: YjsWorkload): Content {
  const merged = createDoc(CLIENT_ID_BASE - 1);
  const clients = new Map(REPLICAS.map((replica) => [replica as string, createDoc(clientIdOf(replica))]));
  for (const edit of workload.edits) Y.applyUpdate(merged, authorEdit(clients.get(edit.replica)!, edit));
  return contentOf(merged);
}

export function encodeUpdate(update: Uint8Array): string {
  return Buffer.from(update).toString("base64");
}

export function decodeUpdate(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64"));
}
