// The store's on-disk formats: log records, pages and the checkpoint mark. A log record is one
// line, `checksum index key value` in the correct store; the checksum (FNV-1a over the rest)
// and the closing newline tell a whole record from a torn one. Without checksums a record is
// `index key value`, and a reader that takes every line that parses replays a torn tail.

import type { Disk } from "../../src/index.ts";

export const LOG_FILE = "wal.log";
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

export interface DecodedLog {
  readonly records: LogRecord[];
  /** Length of the prefix made of whole records; the rest is a torn or corrupt tail. */
  readonly validLength: number;
}

export function decodeLog(text: string, checksummed: boolean): DecodedLog {
  if (!checksummed) {
    // Every line that parses is replayed, the last one too, newline or not.
    const records = text.split("\n").flatMap((line) => parsePayload(line) ?? []);
    return { records, validLength: text.length };
  }
  const records: LogRecord[] = [];
  let validLength = 0;
  for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", validLength)) {
    const line = text.slice(validLength, end);
    const space = line.indexOf(" ");
    const payload = line.slice(space + 1);
    const record = space === 8 && checksumOf(payload) === line.slice(0, space) ? parsePayload(payload) : undefined;
    if (record === undefined) break;
    records.push(record);
    validLength = end + 1;
  }
  return { records, validLength };
}

/** Reads the log: its whole records, and how long the file is past them. */
export function readLog(disk: Disk, checksummed: boolean): DecodedLog & { readonly length: number } {
  const text = disk.read(LOG_FILE) ?? "";
  return { ...decodeLog(text, checksummed), length: text.length };
}

/** Cuts a torn tail off the log, so later appends follow whole records. */
export function cutLog(disk: Disk, validLength: number): void {
  disk.write(LOG_FILE, (disk.read(LOG_FILE) ?? "").slice(0, validLength));
  disk.fsync(LOG_FILE);
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
