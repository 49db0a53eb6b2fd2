// A durable record log, the scenario kit's building block for whatever a node must not forget (a
// Raft log, a ledger, a client's progress): JSON records appended to one file of the node's disk,
// one per line, each as `checksum json` (FNV-1a over the JSON text, eight hex digits).
//
// A crash keeps what was fsynced, and may keep a torn prefix of what was not: part of a line, or
// whole lines of an append that was never fsynced. Recovery (`recoverRecords`) reads the whole,
// checksummed records up to the first line that is cut short, fails its checksum or is not JSON;
// that line and everything after it are the torn tail, which is cut from the file (and the cut
// fsynced), so the next append starts on a line of its own instead of gluing onto the torn one.
// Whole lines of an unsynced append that survived are kept: nobody was told about them, so
// keeping them is as right as losing them, and a reader cannot tell them apart anyway.
//
// Functions over (disk, file), like every handler step: nothing here holds a reference to the
// world, and the node's state keeps only the records it read.

import type { Disk } from "../core/disk.ts";
import type { Json } from "../core/json.ts";

/** FNV-1a, 32 bits, as eight hex digits. */
function checksumOf(text: string): string {
  let hash = 0x811c9dc5;
  for (let position = 0; position < text.length; position++) hash = Math.imul(hash ^ text.charCodeAt(position), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, "0");
}

const CHECKSUM_LENGTH = 8;

/** One record as its line in the file. */
export function encodeRecord(record: Json): string {
  const text = JSON.stringify(record);
  return `${checksumOf(text)} ${text}\n`;
}

export interface DecodedRecords<Entry extends Json> {
  /** The whole records, in the order they were appended. */
  readonly records: Entry[];
  /** Characters of the file the whole records take; past it is the torn tail. */
  readonly validLength: number;
}

/** The whole records of a log's text, up to the first line that is torn or corrupt. */
export function decodeRecords<Entry extends Json>(text: string): DecodedRecords<Entry> {
  const records: Entry[] = [];
  let validLength = 0;
  for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", validLength)) {
    const line = text.slice(validLength, end);
    const body = line.slice(CHECKSUM_LENGTH + 1);
    if (line[CHECKSUM_LENGTH] !== " " || checksumOf(body) !== line.slice(0, CHECKSUM_LENGTH)) break;
    let record: Entry;
    try {
      record = JSON.parse(body) as Entry;
    } catch {
      break;
    }
    records.push(record);
    validLength = end + 1;
  }
  return { records, validLength };
}

export interface RecoveredRecords<Entry extends Json> {
  readonly records: Entry[];
  /** Characters of torn tail cut from the file (0: the file ended on a whole record). */
  readonly cutLength: number;
}

/**
 * Reads a log after a start or a restart: its whole records, with any torn tail cut from the file
 * (and the cut fsynced). A file that does not exist is an empty log.
 */
export function recoverRecords<Entry extends Json>(disk: Disk, file: string): RecoveredRecords<Entry> {
  const text = disk.read(file);
  if (text === undefined) return { records: [], cutLength: 0 };
  const { records, validLength } = decodeRecords<Entry>(text);
  if (validLength < text.length) {
    disk.write(file, text.slice(0, validLength));
    disk.fsync(file);
  }
  return { records, cutLength: text.length - validLength };
}

export interface AppendOptions {
  /** Fsync after appending (default true): once this returns, a crash keeps the records. */
  readonly sync?: boolean;
}

/** Appends records to the log, in one write; fsyncs it unless `sync: false`. */
export function appendRecords(disk: Disk, file: string, records: readonly Json[], options: AppendOptions = {}): void {
  if (records.length === 0) return;
  disk.append(file, records.map(encodeRecord).join(""));
  if (options.sync ?? true) disk.fsync(file);
}
