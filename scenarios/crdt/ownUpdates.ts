// What every CRDT replica shares, state- or operation-based: the replica's own updates from the
// workload, issued in order when due; a durable record (written and fsynced before an update counts
// as issued, so a crash never loses an issued update); and the view π reads.

import { canonicalJson, type Json, type NodeContext } from "../../src/index.ts";
import { updatesFor, type CrdtWorkload, type TypeName, type Update } from "./workload.ts";

export const RECORD_FILE = "replica.json";
/** How long a replica waits for acknowledgements before it sends again. */
export const RETRY_INTERVAL_MS = 25;

/** What π and the invariants read of any replica. */
export interface ReplicaView {
  /** The CRDT state: equal on every replica after convergence. */
  readonly crdt: Json;
  /** The value the state reads as. */
  readonly value: Json;
  /** How many of its own updates the replica has issued. */
  readonly issued: number;
}

/** The replica's own updates, in order: one list per replica, computed once per execution. */
export function ownUpdatesOf(type: TypeName, workload: CrdtWorkload): (replica: string) => readonly Update[] {
  const byReplica = new Map<string, Update[]>();
  return (replica) => {
    let own = byReplica.get(replica);
    if (own === undefined) byReplica.set(replica, (own = updatesFor(type, workload.updates).filter((update) => update.replica === replica)));
    return own;
  };
}

export function readRecord<Record extends Json>(ctx: NodeContext): Record | undefined {
  const text = ctx.disk.read(RECORD_FILE);
  return text === undefined ? undefined : (JSON.parse(text) as Record);
}

/** Replaces the record atomically and durably: a crash, even one inside the handler, keeps all or nothing. */
export function writeRecord(ctx: NodeContext, record: Json): void {
  ctx.disk.replace(RECORD_FILE, canonicalJson(record));
}

export function sameJson(a: Json, b: Json): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export interface Issuer {
  workloadTimer: number | undefined;
}

/**
 * The next own update to issue now, or undefined. When the next one is not yet due on the
 * replica's clock, arms the `workload` timer for it (a skewed clock only shifts when it is issued).
 */
export function dueUpdate(issuer: Issuer, ctx: NodeContext, own: readonly Update[], issued: number): Update | undefined {
  const next = own[issued];
  if (next === undefined) return undefined;
  const waitMs = next.atMs - ctx.now();
  if (waitMs <= 0) return next;
  if (issuer.workloadTimer === undefined) issuer.workloadTimer = ctx.setTimer("workload", waitMs);
  return undefined;
}
