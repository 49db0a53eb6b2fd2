// The index of every write in a history, whatever its transaction's outcome: which transaction
// wrote each value of each key, and whether it was that transaction's last write to the key (its
// installed version) or an intermediate one. Building it also checks what makes a history well
// formed: a key is a register or a list, never both, and no value is written twice to a key.

import { valueId, type ScalarValue, type Transaction, type ValueId } from "./history.ts";

export type KeyKind = "register" | "list";

export interface WriteRecord {
  readonly transaction: number;
  /** The index of the operation in its transaction. */
  readonly operation: number;
  /** True for the transaction's last write (or append) to the key. */
  final: boolean;
}

export interface KeyIndex {
  readonly name: string;
  readonly number: number;
  /** Undefined while only `nil` reads touched the key. */
  kind: KeyKind | undefined;
  /** Where the kind was decided: a transaction and operation index. */
  kindFrom: { readonly transaction: number; readonly operation: number } | undefined;
  /** Every write or append to the key, by value, in history order. */
  readonly writers: Map<ValueId, WriteRecord>;
}

/** A history that is not well formed: where, which field, what is wrong. */
export interface HistoryProblem {
  readonly transaction: number;
  /** The field, as `ops[2].value`, or `id`. */
  readonly field: string;
  readonly message: string;
}

export type WriteIndexResult =
  | { readonly ok: true; readonly keys: Map<string, KeyIndex> }
  | { readonly ok: false; readonly problem: HistoryProblem };

/**
 * Indexes the writes of `transactions` and checks the history is well formed. `locate` names a
 * transaction in a problem's message (default: its id; the file parser gives its line).
 */
export function indexWrites(
  transactions: readonly Transaction[],
  locate: (transaction: number) => string = (transaction) => `transaction ${transaction + 1} of the history`,
): WriteIndexResult {
  const keys = new Map<string, KeyIndex>();
  const ids = new Map<string, number>();
  const lastWrite = new Map<KeyIndex, WriteRecord>();
  for (let transaction = 0; transaction < transactions.length; transaction++) {
    const { id, ops } = transactions[transaction]!;
    const earlier = ids.get(id);
    if (earlier !== undefined) return problem(transaction, "id", `transaction id ${JSON.stringify(id)} is used twice (first at ${locate(earlier)})`);
    ids.set(id, transaction);
    lastWrite.clear();
    for (let operation = 0; operation < ops.length; operation++) {
      const op = ops[operation]!;
      let key = keys.get(op.key);
      if (key === undefined) {
        key = { name: op.key, number: keys.size, kind: undefined, kindFrom: undefined, writers: new Map() };
        keys.set(op.key, key);
      }
      const kind = kindOf(op.f, op.value);
      if (kind !== undefined && key.kind === undefined) {
        key.kind = kind;
        key.kindFrom = { transaction, operation };
      } else if (kind !== undefined && key.kind !== kind) {
        const from = key.kindFrom!;
        const where = `${locate(from.transaction)}, ops[${from.operation}]`;
        return problem(transaction, `ops[${operation}]`, `key ${JSON.stringify(op.key)} is used as a ${kind} here but as a ${key.kind} by ${where}`);
      }
      if (op.f === "r") continue;
      const id = valueId(op.value);
      const other = key.writers.get(id);
      if (other !== undefined) {
        const where = other.transaction === transaction ? "earlier in this transaction" : `at ${locate(other.transaction)}`;
        return problem(transaction, `ops[${operation}].value`, `${op.key} = ${JSON.stringify(op.value)} is also written ${where}: writes must be unique per key`);
      }
      const record: WriteRecord = { transaction, operation, final: true };
      const previous = lastWrite.get(key);
      if (previous !== undefined) previous.final = false;
      lastWrite.set(key, record);
      key.writers.set(id, record);
    }
  }
  return { ok: true, keys };
}

function kindOf(f: "r" | "w" | "append", value: ScalarValue | readonly ScalarValue[] | null): KeyKind | undefined {
  if (f === "w") return "register";
  if (f === "append") return "list";
  if (value === null) return undefined;
  return Array.isArray(value) ? "list" : "register";
}

function problem(transaction: number, field: string, message: string): WriteIndexResult {
  return { ok: false, problem: { transaction, field, message } };
}
