// The transactional store: one node keeping a multi-version key-value map, durable as one file
// written atomically (`Disk.replace`) at every decision, so a crash keeps every commit it answered.
//
// A read (`txn-read`) sees the latest committed version of each key and names that state by
// `startTs`, the number of commits so far. A commit (`txn-commit`) carries the `startTs` its reads
// were taken at and is validated against the commits since (optimistic concurrency control):
//   serializable    abort if a key it read or writes was committed since startTs (backward
//                   validation: each commit behaves as if it ran alone at its commit point)
//   snapshot        abort if a key it writes was committed since startTs (first committer wins):
//                   no lost update, but write skew when two transactions write disjoint keys
//   read-committed  never abort: reads see only committed data, writes overwrite whatever is there
// Its decision is recorded with the data before it is answered; a repeated commit is answered from
// the record, never decided twice.

import { defineNode, type IsolationLevel, type NodeContext } from "../../src/index.ts";
import type { TransactionReply, TransactionRequest, WriteValues } from "../../src/kit/index.ts";

export const STORE_FILE = "store.json";

interface Version {
  readonly ts: number;
  readonly value: string | number;
}

export interface StoreData {
  readonly ts: number;
  readonly versions: Readonly<Record<string, readonly Version[]>>;
  readonly outcomes: Readonly<Record<string, "committed" | "aborted">>;
}

export interface StoreState {
  data: StoreData;
}

const EMPTY: StoreData = { ts: 0, versions: {}, outcomes: {} };

/** The latest committed value of `key`, or null. */
export function latest(data: StoreData, key: string): string | number | null {
  const versions = data.versions[key];
  return versions === undefined || versions.length === 0 ? null : versions[versions.length - 1]!.value;
}

function changedSince(data: StoreData, key: string, startTs: number): boolean {
  const versions = data.versions[key];
  return versions !== undefined && versions.length > 0 && versions[versions.length - 1]!.ts > startTs;
}

/** The keys a commit at `level` must find unchanged since its reads. */
function validated(level: IsolationLevel, reads: readonly string[], writes: WriteValues): readonly string[] {
  if (level === "serializable") return [...reads, ...Object.keys(writes)];
  if (level === "snapshot") return Object.keys(writes);
  return [];
}

function commit(data: StoreData, level: IsolationLevel, request: Extract<TransactionRequest, { type: "txn-commit" }>): StoreData {
  if (validated(level, request.reads, request.writes).some((key) => changedSince(data, key, request.startTs))) {
    return { ...data, outcomes: { ...data.outcomes, [request.txn]: "aborted" } };
  }
  const ts = data.ts + 1;
  const versions: Record<string, readonly Version[]> = { ...data.versions };
  for (const key of Object.keys(request.writes).sort()) versions[key] = [...(versions[key] ?? []), { ts, value: request.writes[key]! }];
  return { ts, versions, outcomes: { ...data.outcomes, [request.txn]: "committed" } };
}

function answer(ctx: NodeContext, to: string, reply: TransactionReply): void {
  ctx.send(to, reply);
}

export function store(level: IsolationLevel) {
  return defineNode<StoreState>({
    init: (ctx) => {
      const text = ctx.disk.read(STORE_FILE);
      return { data: text === undefined || text === "" ? EMPTY : (JSON.parse(text) as StoreData) };
    },
    message: (state, ctx, from, message) => {
      const request = message as TransactionRequest;
      if (request.type === "txn-read") {
        const values: Record<string, string | number | null> = {};
        for (const key of request.keys) values[key] = latest(state.data, key);
        return answer(ctx, from, { type: "txn-snapshot", txn: request.txn, startTs: state.data.ts, values });
      }
      const recorded = state.data.outcomes[request.txn];
      if (recorded !== undefined) return answer(ctx, from, { type: "txn-outcome", txn: request.txn, status: recorded });
      const data = commit(state.data, level, request);
      ctx.disk.replace(STORE_FILE, JSON.stringify(data));
      state.data = data;
      answer(ctx, from, { type: "txn-outcome", txn: request.txn, status: data.outcomes[request.txn]! });
    },
  });
}
