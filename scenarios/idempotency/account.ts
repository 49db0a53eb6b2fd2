// The account server of the idempotency scenario: it keeps the balance in a durable ledger of
// fsynced JSON lines and answers each request with a result. Its variants differ only in where
// and when it remembers which operations it has already executed (see the shapes below).

import { defineNode, type Disk, type Json, type NodeContext } from "../../src/index.ts";
import { evaluate, type Operation, type Result } from "./model.ts";

export interface AccountShape {
  /** Where operation ids are remembered: nowhere, in volatile memory, or in the ledger. */
  readonly dedupe: "none" | "memory" | "ledger";
  /** The id → result record is part of the balance's own fsynced record (else flushed later). */
  readonly recordWithBalance: boolean;
  /** A refusal is remembered under its id too (else only applied operations are). */
  readonly recordRejections: boolean;
  /** The reply is sent before the record is appended and fsynced (else after): a crash in between loses what was answered. */
  readonly replyFirst: boolean;
}

export interface Request {
  /** The operation's index: a stable id that every retry of the operation carries. */
  readonly op: number;
  readonly operation: Operation;
  readonly [key: string]: Json;
}

export interface Reply {
  readonly op: number;
  readonly result: Result;
  readonly [key: string]: Json;
}

/** One ledger line: a balance, an id → result record, or both in one record. */
export interface LedgerRecord {
  readonly balance?: number;
  readonly op?: number;
  readonly result?: Result;
}

export const LEDGER_FILE = "ledger";
/** How long the `dedup-after-apply` server batches id records before it fsyncs and answers. */
export const FLUSH_DELAY_MS = 20;

export interface AccountState {
  balance: number;
  readonly results: Map<number, Result>;
  /** Executed operations whose id record is not yet durable (`dedup-after-apply` only). */
  readonly unflushed: { readonly op: number; readonly result: Result; readonly client: string }[];
}

/**
 * Reads the ledger. A last line without its newline was torn by a crash before its fsync: it
 * was never answered, so it is dropped, and cut from the file so later appends start clean.
 */
export function readLedger(disk: Disk): LedgerRecord[] {
  const text = disk.read(LEDGER_FILE) ?? "";
  const end = text.lastIndexOf("\n") + 1;
  if (end < text.length) {
    disk.write(LEDGER_FILE, text.slice(0, end));
    disk.fsync(LEDGER_FILE);
  }
  return text.slice(0, end).split("\n").slice(0, -1).map((line) => JSON.parse(line) as LedgerRecord);
}

function append(ctx: NodeContext, record: LedgerRecord): void {
  ctx.disk.append(LEDGER_FILE, `${JSON.stringify(record)}\n`);
}

export function account(shape: AccountShape, initialBalance: number) {
  return defineNode<AccountState>({
    init: (ctx) => {
      const state: AccountState = { balance: initialBalance, results: new Map(), unflushed: [] };
      for (const record of readLedger(ctx.disk)) {
        if (record.balance !== undefined) state.balance = record.balance;
        if (shape.dedupe === "ledger" && record.op !== undefined) state.results.set(record.op, record.result!);
      }
      return state;
    },
    message: (state, ctx, from, message) => {
      const { op, operation } = message as Request;
      const known = shape.dedupe === "none" ? undefined : state.results.get(op);
      if (known !== undefined) {
        // A retry: answer with the first execution's result (once that result is durable).
        if (!state.unflushed.some((entry) => entry.op === op)) ctx.send(from, { op, result: known });
        return;
      }
      const result = evaluate(state.balance, operation);
      const applied = result.outcome === "applied";
      const remembered = applied || shape.recordRejections;
      if (remembered) state.results.set(op, result);
      state.balance = result.balance;
      if (shape.replyFirst) ctx.send(from, { op, result });
      if (!shape.recordWithBalance) {
        if (applied) append(ctx, { balance: result.balance });
        state.unflushed.push({ op, result, client: from });
        if (state.unflushed.length === 1) ctx.setTimer("flush", FLUSH_DELAY_MS);
      } else if (remembered) {
        append(ctx, { op, result, balance: result.balance });
      }
      ctx.disk.fsync(LEDGER_FILE);
      if (applied) ctx.note("applied", { op, balance: result.balance });
      if (shape.recordWithBalance && !shape.replyFirst) ctx.send(from, { op, result });
    },
    timer: (state, ctx) => {
      for (const { op, result } of state.unflushed) append(ctx, { op, result });
      ctx.disk.fsync(LEDGER_FILE);
      for (const { op, result, client } of state.unflushed.splice(0)) ctx.send(client, { op, result });
    },
  });
}
