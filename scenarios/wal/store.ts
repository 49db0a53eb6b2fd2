// The key-value store of the wal scenario: one node that logs each write, applies it, and
// acknowledges it. Writes are group-committed: a request appends its log record to both copies of
// the log at once, and a commit COMMIT_DELAY_MS later fsyncs both, applies the batch and
// acknowledges it. Pages (one file per key) are written back lazily and made durable at a
// checkpoint, which then empties the log. Recovery loads the pages and redoes every log record
// past the checkpoint, then writes the recovered log back to both copies where they differ from it.
// A crash may fall inside a handler, between any two of its effects (a crash point): every step is
// ordered so that what is durable at any point is enough, and the checkpoint mark is replaced
// atomically. What a crash can tear is what is unsynced when it comes: the log records of a batch
// awaiting its commit, written-back pages, a log being emptied or rewritten.

import { defineNode, type Disk, type Json, type NodeContext } from "../../src/index.ts";
import { CHECKPOINT_FILE, decodeLog, encodeRecord, LOG_COPIES, pageFile, readCheckpoint, readLogCopies, readPages, type LogReading, type LogRecord } from "./log.ts";

export interface StoreShape {
  /** How recovery reads the mirrored log (log.ts): what makes a record valid, when the mirror is read. */
  readonly reading: LogReading;
  /** When a write is applied in memory and acknowledged: at its request, or at its commit. */
  readonly acknowledgeAt: "request" | "commit";
  /** When a write's page is written: at its request (before its record is durable), or at commit. */
  readonly pageAt: "request" | "commit";
}

const READING: LogReading = { checksummed: true, verify: "every-line", slotChecked: true, mirror: "every-slot" };

/** The variants: each broken one differs from `wal` in one field. */
export const SHAPES: Record<string, StoreShape> = {
  wal: { reading: READING, acknowledgeAt: "commit", pageAt: "commit" },
  "ack-before-fsync": { reading: READING, acknowledgeAt: "request", pageAt: "commit" },
  "no-checksum": { reading: { ...READING, checksummed: false }, acknowledgeAt: "commit", pageAt: "commit" },
  "apply-then-log": { reading: READING, acknowledgeAt: "commit", pageAt: "request" },
  "tail-checksum-only": { reading: { ...READING, verify: "last-line" }, acknowledgeAt: "commit", pageAt: "commit" },
  "no-slot-check": { reading: { ...READING, slotChecked: false }, acknowledgeAt: "commit", pageAt: "commit" },
  "trust-first-copy": { reading: { ...READING, mirror: "on-bad-line" }, acknowledgeAt: "commit", pageAt: "commit" },
};

export interface WriteRequest extends LogRecord {
  readonly [field: string]: Json;
}

export const COMMIT_DELAY_MS = 20;
/** A checkpoint runs at the commit that brings the log to this many records. */
export const CHECKPOINT_RECORDS = 4;

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

/** Writes the log's content to each copy and makes it durable, copy by copy. */
function rewriteLog(ctx: NodeContext, text: string): void {
  for (const file of LOG_COPIES) {
    ctx.disk.write(file, text);
    ctx.disk.fsync(file);
  }
}

/**
 * Pages durable first, then the mark that says so (replaced atomically), and only then the log may
 * be emptied: a log whose first record does not follow the mark is one the mark covers.
 */
function checkpoint(state: StoreState, ctx: NodeContext): void {
  for (const key of [...state.dirtyPages].sort()) ctx.disk.fsync(pageFile(key));
  ctx.disk.replace(CHECKPOINT_FILE, String(state.lastApplied));
  rewriteLog(ctx, "");
  state.dirtyPages.clear();
  state.logRecords = 0;
}

export interface Recovered {
  readonly values: Map<string, number>;
  readonly lastApplied: number;
  readonly logRecords: number;
  /** The log records past the checkpoint, redone over the pages. */
  readonly redone: readonly LogRecord[];
  /** The recovered log, encoded: what both copies should hold. */
  readonly logText: string;
  /** Whether a copy holds anything else (a torn tail, a bad record, a record the other has): it is rewritten. */
  readonly logRepaired: boolean;
}

/** Recovery, read-only: the pages, with every log record past the checkpoint redone over them. */
export function recoverFrom(disk: Disk, reading: LogReading): Recovered {
  const values = readPages(disk);
  const checkpointIndex = readCheckpoint(disk);
  let lastApplied = checkpointIndex;
  const copies = readLogCopies(disk);
  const records = decodeLog(copies, checkpointIndex + 1, reading);
  const redone = records.filter((record) => record.index > lastApplied);
  for (const record of redone) {
    values.set(record.key, record.value);
    lastApplied = Math.max(lastApplied, record.index);
  }
  const logText = records.map((record) => encodeRecord(record, reading.checksummed)).join("");
  return { values, lastApplied, logRecords: records.length, redone, logText, logRepaired: copies.some((text) => text !== logText) };
}

export function store(shape: StoreShape) {
  return defineNode<StoreState>({
    init: (ctx) => {
      const recovered = recoverFrom(ctx.disk, shape.reading);
      if (recovered.logRepaired) rewriteLog(ctx, recovered.logText);
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
      for (const file of LOG_COPIES) ctx.disk.append(file, encodeRecord({ index, key, value }, shape.reading.checksummed));
      state.pending.push({ record: { index, key, value }, client: from });
      if (shape.acknowledgeAt === "request") apply(state, ctx, record, from);
      if (state.pending.length === 1) ctx.setTimer("commit", COMMIT_DELAY_MS);
    },
    timer: (state, ctx) => {
      for (const file of LOG_COPIES) ctx.disk.fsync(file);
      for (const { record, client } of state.pending.splice(0)) {
        if (shape.acknowledgeAt === "commit") apply(state, ctx, record, client);
        if (shape.pageAt === "commit") writePage(state, ctx, record.key, record.value);
        state.logRecords++;
      }
      if (state.logRecords >= CHECKPOINT_RECORDS) checkpoint(state, ctx);
    },
  });
}
