// The key-value store of the wal scenario: one node that logs each write, applies it, and
// acknowledges it. Writes are group-committed: a request appends its log record at once, and a
// commit COMMIT_DELAY_MS later fsyncs the log, applies the batch and acknowledges it. Pages (one
// file per key) are written back lazily and made durable at a checkpoint, which then empties the
// log. Recovery loads the pages and redoes every log record past the checkpoint.
// A crash falls between two handler runs, so one handler's writes and fsyncs are atomic (as a
// rename would make them): the checkpoint is one handler. What a crash can tear is what is
// unsynced when it comes: the log records of a batch awaiting its commit, and written-back pages.

import { defineNode, type Disk, type Json, type NodeContext } from "../../src/index.ts";
import { CHECKPOINT_FILE, cutLog, encodeRecord, LOG_FILE, pageFile, readCheckpoint, readLog, readPages, type LogRecord } from "./log.ts";

export interface StoreShape {
  /** Log records carry a checksum and recovery stops at the first torn or corrupt one. */
  readonly checksummed: boolean;
  /** When a write is applied in memory and acknowledged: at its request, or at its commit. */
  readonly acknowledgeAt: "request" | "commit";
  /** When a write's page is written: at its request (before its record is durable), or at commit. */
  readonly pageAt: "request" | "commit";
}

/** The variants: each broken one differs from `wal` in one field. */
export const SHAPES: Record<string, StoreShape> = {
  wal: { checksummed: true, acknowledgeAt: "commit", pageAt: "commit" },
  "ack-before-fsync": { checksummed: true, acknowledgeAt: "request", pageAt: "commit" },
  "no-checksum": { checksummed: false, acknowledgeAt: "commit", pageAt: "commit" },
  "apply-then-log": { checksummed: true, acknowledgeAt: "commit", pageAt: "request" },
};

export interface WriteRequest extends LogRecord {
  readonly [field: string]: Json;
}

export const COMMIT_DELAY_MS = 20;
/** A checkpoint runs at the commit that brings the log to this many records. */
export const CHECKPOINT_RECORDS = 3;

export interface StoreState {
  readonly values: Map<string, number>;
  /** The highest write index applied; requests at or below it are answered, not re-applied. */
  lastApplied: number;
  /** Writes whose record is appended but not yet fsynced, with who asked. */
  readonly pending: { readonly record: LogRecord; readonly client: string }[];
  /** Records in the log since the last checkpoint. */
  logRecords: number;
  /** Pages written since the last checkpoint, not yet fsynced. */
  readonly dirtyPages: Set<string>;
}

/** The store's state as JSON, keys sorted: what "recovered" notes and π record. */
export function valuesAsJson(values: ReadonlyMap<string, number>): { [key: string]: number } {
  return Object.fromEntries([...values].sort(([left], [right]) => (left < right ? -1 : 1)));
}

function writePage(state: StoreState, ctx: NodeContext, key: string, value: number): void {
  ctx.disk.write(pageFile(key), String(value));
  state.dirtyPages.add(key);
}

function acknowledge(ctx: NodeContext, client: string, index: number): void {
  ctx.note("acknowledged", index);
  ctx.send(client, { acknowledged: index });
}

function apply(state: StoreState, ctx: NodeContext, record: LogRecord, client: string): void {
  state.values.set(record.key, record.value);
  state.lastApplied = record.index;
  acknowledge(ctx, client, record.index);
}

/** Pages durable first, then the mark that says so, and only then the log may be emptied. */
function checkpoint(state: StoreState, ctx: NodeContext): void {
  for (const key of [...state.dirtyPages].sort()) ctx.disk.fsync(pageFile(key));
  ctx.disk.write(CHECKPOINT_FILE, String(state.lastApplied));
  ctx.disk.fsync(CHECKPOINT_FILE);
  ctx.disk.write(LOG_FILE, "");
  ctx.disk.fsync(LOG_FILE);
  state.dirtyPages.clear();
  state.logRecords = 0;
}

export interface Recovered {
  readonly values: Map<string, number>;
  readonly lastApplied: number;
  readonly logRecords: number;
  /** The log records past the checkpoint, redone over the pages. */
  readonly redone: readonly LogRecord[];
  /** Length of the log's whole records, and of the file. */
  readonly validLength: number;
  readonly logLength: number;
}

/** Recovery, read-only: the pages, with every log record past the checkpoint redone over them. */
export function recoverFrom(disk: Disk, checksummed: boolean): Recovered {
  const values = readPages(disk);
  let lastApplied = readCheckpoint(disk);
  const log = readLog(disk, checksummed);
  const redone = log.records.filter((record) => record.index > lastApplied);
  for (const record of redone) {
    values.set(record.key, record.value);
    lastApplied = Math.max(lastApplied, record.index);
  }
  return { values, lastApplied, logRecords: log.records.length, redone, validLength: log.validLength, logLength: log.length };
}

export function store(shape: StoreShape) {
  return defineNode<StoreState>({
    init: (ctx) => {
      const recovered = recoverFrom(ctx.disk, shape.checksummed);
      if (recovered.validLength < recovered.logLength) cutLog(ctx.disk, recovered.validLength);
      const { values, lastApplied, logRecords } = recovered;
      const state: StoreState = { values, lastApplied, pending: [], logRecords, dirtyPages: new Set() };
      // A redone key's page may be stale or torn: rewrite it before a checkpoint empties the log.
      for (const { key } of recovered.redone) writePage(state, ctx, key, values.get(key)!);
      return state;
    },
    recover: (state, ctx) => ctx.note("recovered", valuesAsJson(state.values)),
    message: (state, ctx, from, message) => {
      const record = message as WriteRequest;
      if (record.index <= state.lastApplied) return acknowledge(ctx, from, record.index);
      if (state.pending.some((entry) => entry.record.index === record.index)) return;
      const { index, key, value } = record;
      if (shape.pageAt === "request") writePage(state, ctx, key, value);
      ctx.disk.append(LOG_FILE, encodeRecord({ index, key, value }, shape.checksummed));
      state.pending.push({ record: { index, key, value }, client: from });
      if (shape.acknowledgeAt === "request") apply(state, ctx, record, from);
      if (state.pending.length === 1) ctx.setTimer("commit", COMMIT_DELAY_MS);
    },
    timer: (state, ctx) => {
      ctx.disk.fsync(LOG_FILE);
      for (const { record, client } of state.pending.splice(0)) {
        if (shape.acknowledgeAt === "commit") apply(state, ctx, record, client);
        if (shape.pageAt === "commit") writePage(state, ctx, record.key, record.value);
        state.logRecords++;
      }
      if (state.logRecords >= CHECKPOINT_RECORDS) checkpoint(state, ctx);
    },
  });
}
