// Raft's durable state on the node's disk: the current term, the vote, and the log, as an
// append-only file of JSON lines (a term/vote record, an entry, or a truncation). Every change is
// appended and fsynced before the node answers anyone; recovery replays the file. A torn last line
// (no newline) was never fsynced, so nobody was told about it, and it is cut off before the node
// appends again.

import type { Disk } from "../../src/index.ts";
import { cutTornTail } from "../../src/kit/index.ts";

export const RAFT_FILE = "raft.log";

export type Command =
  | { readonly client: string; readonly seq: number; readonly op: "get"; readonly key: string }
  | { readonly client: string; readonly seq: number; readonly op: "put" | "append"; readonly key: string; readonly value: string };

/** A log entry: its term and a client's command, or null for the no-op a new leader appends. */
export type Entry = { readonly term: number; readonly command: Command | null };

export interface DurableState {
  term: number;
  votedFor: string | null;
  /** The log; entry at index i (1-based) is log[i - 1]. */
  readonly log: Entry[];
}

type DurableRecord =
  | { readonly meta: readonly [number, string | null] }
  | { readonly entry: readonly [number, Entry] }
  | { readonly truncate: number };

export function readDurableState(disk: Disk): DurableState {
  const durable: DurableState = { term: 0, votedFor: null, log: [] };
  cutTornTail(disk, RAFT_FILE);
  const text = disk.read(RAFT_FILE);
  if (text === undefined) return durable;
  const lines = text.split("\n");
  lines.pop();
  for (const line of lines) {
    const record = JSON.parse(line) as DurableRecord;
    if ("meta" in record) [durable.term, durable.votedFor] = record.meta;
    else if ("truncate" in record) durable.log.length = record.truncate;
    else {
      const [index, entry] = record.entry;
      if (index !== durable.log.length + 1) throw new Error(`raft.log: entry ${index} follows a log of ${durable.log.length}`);
      durable.log.push(entry);
    }
  }
  return durable;
}

/** Appends the records and fsyncs them: after this returns, a crash keeps them. */
export function persist(disk: Disk, records: readonly DurableRecord[], sync = true): void {
  if (records.length === 0) return;
  disk.append(RAFT_FILE, records.map((record) => JSON.stringify(record)).join("\n") + "\n");
  if (sync) disk.fsync(RAFT_FILE);
}

export const metaRecord = (term: number, votedFor: string | null): DurableRecord => ({ meta: [term, votedFor] });
export const entryRecord = (index: number, entry: Entry): DurableRecord => ({ entry: [index, entry] });
export const truncateRecord = (length: number): DurableRecord => ({ truncate: length });
