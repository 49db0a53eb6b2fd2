// A transactional history: the transactions clients ran against a store, each with its reads,
// writes and appends and how it ended (docs/checkers/serializability.md). This module holds the
// public types and the identity of values; parse.ts reads the JSON-lines file, check.ts checks it.

import { UsageError } from "../../core/errors.ts";

/** A value written to a key: a string or a finite number. Writes are unique per key. */
export type ScalarValue = string | number;

/** How a transaction ended, as its client saw it. */
export type TransactionStatus = "committed" | "aborted" | "unknown";

/**
 * One operation of a transaction.
 * - `r` reads a key: a register's value (`null`: the key was never written), or a list's whole
 *   content (an array; `null` is the empty list).
 * - `w` writes a register; `append` appends one element to a list.
 */
export type TransactionOperation =
  | { readonly f: "r"; readonly key: string; readonly value: ScalarValue | readonly ScalarValue[] | null }
  | { readonly f: "w"; readonly key: string; readonly value: ScalarValue }
  | { readonly f: "append"; readonly key: string; readonly value: ScalarValue };

export interface Transaction {
  readonly id: string;
  /** Who ran it; shown in reports, not used by the check. */
  readonly client?: string;
  readonly status: TransactionStatus;
  readonly ops: readonly TransactionOperation[];
}

export type IsolationLevel = "serializable" | "snapshot" | "read-committed";

export const ISOLATION_LEVELS: readonly IsolationLevel[] = ["serializable", "snapshot", "read-committed"];

/** A value's identity inside one key: 1 and "1" are different values. */
export type ValueId = string;

export function valueId(value: ScalarValue): ValueId {
  return typeof value === "number" ? `n${value}` : `s${value}`;
}

export function valueOf(id: ValueId): ScalarValue {
  return id.startsWith("n") ? Number(id.slice(1)) : id.slice(1);
}

/** A value as a person reads it in a report: `3`, `"a"`, `[1, 2]`, `nil` (never written). */
export function describeValue(value: ScalarValue | readonly ScalarValue[] | null): string {
  if (value === null) return "nil";
  if (Array.isArray(value)) return `[${value.map((element) => JSON.stringify(element)).join(", ")}]`;
  return JSON.stringify(value);
}

/** A history that is not well formed (exit 2 in the CLI): the message names where and which field. */
export class TransactionHistoryError extends UsageError {
  override name = "TransactionHistoryError";
}
