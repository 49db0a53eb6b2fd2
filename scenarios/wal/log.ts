// The store's on-disk formats: log records, pages and the checkpoint mark. A log record is one
// line, `checksum index key value` in the correct store; the checksum (FNV-1a over the rest)
// and the closing newline tell a whole record from a torn or corrupt one. Without checksums a
// record is `index key value`, and a reader that takes every line that parses replays a torn tail.
//
// The log is mirrored: every record is appended to `wal.log` and to `wal.mirror`, and both are
// fsynced before a write is acknowledged, so that one copy's storage fault (a flipped bit, a lost
// fsync, a misdirected append) leaves the other whole. Recovery reads the copies slot by slot, as
// RAID-1 reads blocks: the i-th line of the log holds the record with index checkpoint + i, taken
// from the first copy where that line is whole, verifies and names that index, else from the mirror;
// the log ends at the first slot neither copy holds.

import type { Disk } from "../../src/index.ts";

export const LOG_FILE = "wal.log";
export const MIRROR_FILE = "wal.mirror";
/** The log's copies, in the order recovery prefers them. */
export const LOG_COPIES = [LOG_FILE, MIRROR_FILE] as const;
export const CHECKPOINT_FILE = "checkpoint";
const PAGE_PREFIX = "page.";

export interface LogRecord {
  readonly index: number;
  readonly key: string;
  readonly value: number;
}

/** FNV-1a, 32 bits, as eight hex digits. */
export function checksumOf(text: string): string {
  let hash = 0x811c9dc5;
  for (let position = 0; position < text.length; position++) hash = Math.imul(hash ^ text.charCodeAt(position), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, "0");
}

export function encodeRecord(record: LogRecord, checksummed: boolean): string {
  const payload = `${record.index} ${record.key} ${record.value}`;
  return checksummed ? `${checksumOf(payload)} ${payload}\n` : `${payload}\n`;
}

const DIGITS = /^\d+$/;

/** `index key value`, or undefined when a field is missing or not a number. */
export function parsePayload(payload: string): LogRecord | undefined {
  const [index, key, value] = payload.split(" ");
  if (index === undefined || !DIGITS.test(index) || !key || value === undefined || !DIGITS.test(value)) return undefined;
  return { index: Number(index), key, value: Number(value) };
}

/** How recovery reads the log. The correct store checks everything; each broken variant skips one check. */
export interface LogReading {
  /** Records carry a checksum; without one, every line that parses is a record, a torn last one too. */
  readonly checksummed: boolean;
  /** Whose checksum is verified: every line's, or only each copy's last line, where tears happen (a bug). */
  readonly verify: "every-line" | "last-line";
  /** A record must name the index its slot stands for (the checksum then covers its place); else any index is taken (a bug). */
  readonly slotChecked: boolean;
  /** The mirror is read at every slot the first copy cannot give, or only when the first copy has a bad line (a bug). */
  readonly mirror: "every-slot" | "on-bad-line";
}

/** A copy's lines: the whole ones (each closed by a newline), then a torn one, if the copy does not end with a newline. */
function linesOf(text: string): { readonly lines: readonly string[]; readonly whole: number } {
  const lines = text.split("\n");
  const last = lines.pop()!;
  const whole = lines.length;
  if (last !== "") lines.push(last);
  return { lines, whole };
}

/** The record a copy's line gives for the slot that expects `index`, if it is a valid one. */
function recordAt(copy: ReturnType<typeof linesOf>, slot: number, index: number, reading: LogReading): LogRecord | undefined {
  const line = copy.lines[slot];
  if (line === undefined) return undefined;
  const verify = reading.verify === "every-line" || slot === copy.whole - 1;
  const record = reading.checksummed ? checkedRecord(line, slot < copy.whole, verify) : parsePayload(line);
  return record !== undefined && (!reading.slotChecked || record.index === index) ? record : undefined;
}

/** A checksummed line's record: whole, `checksum payload`, and (when verified) the checksum matches. */
function checkedRecord(line: string, whole: boolean, verify: boolean): LogRecord | undefined {
  const space = line.indexOf(" ");
  if (!whole || space !== 8) return undefined;
  const payload = line.slice(space + 1);
  return verify && checksumOf(payload) !== line.slice(0, space) ? undefined : parsePayload(payload);
}

/** The log's records, from its copies' contents (LOG_COPIES' order), the first in the slot of index `firstIndex`. */
export function decodeLog(texts: readonly string[], firstIndex: number, reading: LogReading): LogRecord[] {
  const copies = texts.map(linesOf);
  const first = copies[0]!;
  const firstHasBadLine = first.lines.some((_line, slot) => recordAt(first, slot, firstIndex + slot, reading) === undefined);
  const readable = reading.mirror === "every-slot" || firstHasBadLine ? copies : [first];
  const records: LogRecord[] = [];
  for (let slot = 0; ; slot++) {
    let record: LogRecord | undefined;
    for (const copy of readable) record ??= recordAt(copy, slot, firstIndex + slot, reading);
    if (record === undefined) return records;
    records.push(record);
  }
}

/** The copies of the log as recovery reads them. */
export function readLogCopies(disk: Disk): string[] {
  return LOG_COPIES.map((file) => disk.read(file) ?? "");
}

export function pageFile(key: string): string {
  return `${PAGE_PREFIX}${key}`;
}

/** Every page on disk, as key → value; a page is a bare number, torn pages included. */
export function readPages(disk: Disk): Map<string, number> {
  const values = new Map<string, number>();
  for (const file of disk.files()) {
    if (file.startsWith(PAGE_PREFIX)) values.set(file.slice(PAGE_PREFIX.length), Number(disk.read(file)));
  }
  return values;
}

/** The index up to which every page is durable; the log holds only later records. */
export function readCheckpoint(disk: Disk): number {
  return Number(disk.read(CHECKPOINT_FILE) ?? "0");
}
