// A transactional client, the scenario kit's node for "a client runs the workload's transactions
// one at a time against a store, retries each aborted one, and records what each attempt read,
// wrote and how it ended": the history the serializability checker (`checkTransactions`) reads.
//
// Each attempt of a transaction is two round trips, each resent every `retryMs` until answered:
//   read    { type: "txn-read", txn, keys }                → { type: "txn-snapshot", txn, startTs, values }
//   commit  { type: "txn-commit", txn, startTs, reads, writes } → { type: "txn-outcome", txn, status }
// `txn` is the attempt's id, `client.index.attempt`, the same in every request of that attempt.
// The store decides what `startTs` means (a snapshot for snapshot isolation) and must answer a
// repeated commit from what it recorded, never decide it twice. The writes are computed by the
// scenario from the values read (`writes`), and each written value must be unique per key (the
// checker names the writer of a read by its value): make it carry the attempt id.
//
// The commit is appended to the client's record log before it is sent, and the outcome before it
// is noted, so a restarted client resends a commit in flight with the same id (and notes nothing
// twice); an attempt that crashed before its commit was recorded never reached the store and is
// run again under the same id. An aborted attempt is retried as `attempt + 1` after `thinkMs`.
// Every decided attempt is noted once as `transaction` (value: a checker `Transaction`);
// `transactionHistory(view.notes)` returns them.

import type { ScalarValue, Transaction, TransactionOperation } from "../check/transactions/history.ts";
import type { Json, NodeId } from "../core/json.ts";
import type { NodeContext, NodeSpec, NoteRecord } from "../core/scenario.ts";
import { appendRecords, recoverRecords } from "./recordLog.ts";
import { armedTimers, defineTimers, type ArmedTimers } from "./timers.ts";

/** The note a transactional client records for each decided attempt (value: a `Transaction`). */
export const TRANSACTION_NOTE = "transaction";
/** The file of the transactional client's record log. */
export const TRANSACTION_LOG_FILE = "transactions.log";

/** What a read saw of each key: a value, or null for a key never written. */
export type ReadValues = Readonly<Record<string, ScalarValue | null>>;
export type WriteValues = Readonly<Record<string, ScalarValue>>;

export type TransactionRequest =
  | { readonly type: "txn-read"; readonly txn: string; readonly keys: readonly string[] }
  | { readonly type: "txn-commit"; readonly txn: string; readonly startTs: number; readonly reads: readonly string[]; readonly writes: WriteValues };

export type TransactionReply =
  | { readonly type: "txn-snapshot"; readonly txn: string; readonly startTs: number; readonly values: ReadValues }
  | { readonly type: "txn-outcome"; readonly txn: string; readonly status: "committed" | "aborted" };

export interface TransactionClientSpec<Plan extends Json> {
  /** The transactions to run, in order (the client's part of the workload). */
  readonly transactions: readonly Plan[];
  /** The store's node id. */
  readonly store: NodeId;
  /** How long to wait for an answer before sending again. */
  readonly retryMs: number;
  /** How long the client thinks before an attempt of transaction `index` (may draw from ctx.random). */
  thinkMs(ctx: NodeContext, index: number): number;
  /** The keys transaction `plan` reads. */
  reads(plan: Plan): readonly string[];
  /** What it writes, given what it read; `txn` is the attempt's id, to make each value unique. */
  writes(plan: Plan, values: ReadValues, txn: string): WriteValues;
}

/** The attempt in flight: reading, or committing what it read and decided. */
type Attempt =
  | { readonly phase: "thinking" }
  | { readonly phase: "reading" }
  | { readonly phase: "committing"; readonly startTs: number; readonly values: ReadValues; readonly writes: WriteValues };

export interface TransactionClientState {
  /** The transaction it is on (transactions.length once done) and its attempt number. */
  next: number;
  attempt: number;
  current: Attempt;
  readonly timers: ArmedTimers;
}

type ProgressRecord =
  | { readonly commit: number; readonly attempt: number; readonly startTs: number; readonly values: ReadValues; readonly writes: WriteValues }
  | { readonly decided: number; readonly attempt: number; readonly status: "committed" | "aborted" };

const timers = defineTimers<{ think: { index: number; attempt: number }; retry: string }>();

/** Whether a transactional client has committed every transaction (for a scenario's `settled`). */
export function transactionsDone(state: TransactionClientState | undefined, transactionCount: number): boolean {
  return state !== undefined && state.next >= transactionCount;
}

/** The id of attempt `attempt` of transaction `index` of `client`. */
export function transactionId(client: NodeId, index: number, attempt: number): string {
  return `${client}.${index}.${attempt}`;
}

/** The node of one client running `spec.transactions` against `spec.store`. */
export function transactionClient<Plan extends Json>(spec: TransactionClientSpec<Plan>): NodeSpec<TransactionClientState> {
  const idOf = (state: TransactionClientState, ctx: NodeContext): string => transactionId(ctx.id, state.next, state.attempt);

  const request = (state: TransactionClientState, ctx: NodeContext): TransactionRequest | undefined => {
    const plan = spec.transactions[state.next]!;
    const txn = idOf(state, ctx);
    if (state.current.phase === "reading") return { type: "txn-read", txn, keys: spec.reads(plan) };
    if (state.current.phase === "committing") return { type: "txn-commit", txn, startTs: state.current.startTs, reads: spec.reads(plan), writes: state.current.writes };
    return undefined;
  };

  const send = (state: TransactionClientState, ctx: NodeContext): void => {
    const message = request(state, ctx);
    if (message === undefined) return;
    ctx.send(spec.store, message);
    timers.set(ctx, state.timers, "retry", message.txn, spec.retryMs);
  };

  const think = (state: TransactionClientState, ctx: NodeContext): void => {
    state.current = { phase: "thinking" };
    if (state.next < spec.transactions.length) timers.set(ctx, state.timers, "think", { index: state.next, attempt: state.attempt }, spec.thinkMs(ctx, state.next));
  };

  const begin = (state: TransactionClientState, ctx: NodeContext, index: number, attempt: number): void => {
    if (index !== state.next || attempt !== state.attempt || state.current.phase !== "thinking") return;
    state.current = { phase: "reading" };
    send(state, ctx);
  };

  const snapshot = (state: TransactionClientState, ctx: NodeContext, startTs: number, values: ReadValues): void => {
    const plan = spec.transactions[state.next]!;
    const seen: Record<string, ScalarValue | null> = {};
    for (const key of spec.reads(plan)) seen[key] = values[key] ?? null;
    const writes = spec.writes(plan, seen, idOf(state, ctx));
    appendRecords(ctx.disk, TRANSACTION_LOG_FILE, [{ commit: state.next, attempt: state.attempt, startTs, values: seen, writes }]);
    state.current = { phase: "committing", startTs, values: seen, writes };
    send(state, ctx);
  };

  const decided = (state: TransactionClientState, ctx: NodeContext, status: "committed" | "aborted"): void => {
    if (state.current.phase !== "committing") return;
    const plan = spec.transactions[state.next]!;
    const { values, writes } = state.current;
    timers.cancel(ctx, state.timers, "retry");
    appendRecords(ctx.disk, TRANSACTION_LOG_FILE, [{ decided: state.next, attempt: state.attempt, status }]);
    const ops: TransactionOperation[] = [
      ...spec.reads(plan).map((key): TransactionOperation => ({ f: "r", key, value: values[key] ?? null })),
      ...Object.keys(writes).sort().map((key): TransactionOperation => ({ f: "w", key, value: writes[key]! })),
    ];
    ctx.note(TRANSACTION_NOTE, { id: idOf(state, ctx), client: ctx.id, status, ops } satisfies Transaction as unknown as Json);
    if (status === "committed") [state.next, state.attempt] = [state.next + 1, 0];
    else state.attempt++;
    think(state, ctx);
  };

  return {
    init: (ctx) => {
      const state: TransactionClientState = { next: 0, attempt: 0, current: { phase: "thinking" }, timers: armedTimers() };
      for (const record of recoverRecords<ProgressRecord>(ctx.disk, TRANSACTION_LOG_FILE).records) {
        if ("decided" in record) {
          if (record.status === "committed") [state.next, state.attempt] = [record.decided + 1, 0];
          else [state.next, state.attempt] = [record.decided, record.attempt + 1];
          state.current = { phase: "thinking" };
        } else state.current = { phase: "committing", startTs: record.startTs, values: record.values, writes: record.writes };
      }
      return state;
    },
    start: think,
    recover: (state, ctx) => (state.current.phase === "committing" ? send(state, ctx) : think(state, ctx)),
    timer: (state, ctx, name) => {
      timers.dispatch(ctx, state.timers, name, {
        think: ({ index, attempt }) => begin(state, ctx, index, attempt),
        retry: (txn) => {
          if (txn === idOf(state, ctx)) send(state, ctx);
        },
      });
    },
    message: (state, ctx, _from, message) => {
      const reply = message as TransactionReply;
      if (reply.txn !== idOf(state, ctx) || state.next >= spec.transactions.length) return; // not for the attempt in flight
      if (reply.type === "txn-snapshot" && state.current.phase === "reading") snapshot(state, ctx, reply.startTs, reply.values);
      else if (reply.type === "txn-outcome") decided(state, ctx, reply.status);
    },
  };
}

/** Every decided attempt the clients noted, in the checker's format. */
export function transactionHistory(notes: (label: string) => readonly NoteRecord[]): Transaction[] {
  return notes(TRANSACTION_NOTE).map((note) => note.value as unknown as Transaction);
}
