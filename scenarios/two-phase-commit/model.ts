// The two-phase-commit scenario's logical input, its messages, and the durable log both kinds of
// node keep: one line per record, appended and fsynced before the node acts on it.

import type { Disk, Json, Random, Sizes } from "../../src/index.ts";
import { cutTornTail } from "../../src/kit/index.ts";

export type Vote = "yes" | "no";
export type Outcome = "commit" | "abort";

/** The logical input: the participants, and how each will vote on each transaction. */
export interface Workload {
  readonly participants: readonly string[];
  /** transactions[tx][participant]: that participant's vote on transaction tx. */
  readonly transactions: readonly Readonly<Record<string, Vote>>[];
  readonly [key: string]: Json;
}

/** How likely a participant is to vote no on a transaction (it cannot take part, say). */
const NO_VOTE_PROBABILITY = 0.15;

export function drawWorkload(random: Random, sizes: Sizes): Workload {
  const participants = Array.from({ length: sizes.participants! }, (_, index) => `p${index + 1}`);
  const transactions = Array.from({ length: sizes.transactions! }, () =>
    Object.fromEntries(participants.map((participant): [string, Vote] => [participant, random.chance(NO_VOTE_PROBABILITY) ? "no" : "yes"])),
  );
  return { participants, transactions };
}

export function allVoteYes(workload: Workload, tx: number): boolean {
  return Object.values(workload.transactions[tx]!).every((vote) => vote === "yes");
}

export type Message =
  | { readonly kind: "prepare"; readonly tx: number }
  | { readonly kind: "vote"; readonly tx: number; readonly vote: Vote }
  /** The seq-th decision the coordinator made (the kit's reliable send resends it until acknowledged). */
  | { readonly kind: "decision"; readonly seq: number; readonly tx: number; readonly outcome: Outcome }
  | { readonly kind: "ack"; readonly seq: number };

export const LOG_FILE = "log";

/** Appends a record and makes it durable before the caller acts on it. */
export function logRecord(disk: Disk, record: string): void {
  disk.append(LOG_FILE, `${record}\n`);
  disk.fsync(LOG_FILE);
}

/**
 * The log's records, at recovery. A crash between a record's append and its fsync may leave it torn:
 * it was never acted on, and it is cut off so that the next record starts a line of its own.
 */
export function readLog(disk: Disk): string[] {
  cutTornTail(disk, LOG_FILE);
  return (disk.read(LOG_FILE) ?? "").split("\n").slice(0, -1);
}
