// Reading a transactional history from JSON lines (docs/checkers/serializability.md): one
// transaction per line, blank lines ignored. Anything malformed is the user's input error, named
// by its line and field: `history.jsonl:7: ops[1].value: ...`.

import { TransactionHistoryError, type ScalarValue, type Transaction, type TransactionOperation, type TransactionStatus } from "./history.ts";
import { indexWrites } from "./writes.ts";

const STATUSES: readonly TransactionStatus[] = ["committed", "aborted", "unknown"];

/** Parses and checks the form of a JSON-lines history; `source` names it in error messages. */
export function parseTransactionHistory(text: string, source: string): Transaction[] {
  const transactions: Transaction[] = [];
  const lineNumbers: number[] = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === "") continue;
    const where = `${source}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new TransactionHistoryError(`${where}: not valid JSON`);
    }
    transactions.push(parseTransaction(value, where));
    lineNumbers.push(index + 1);
  }
  const index = indexWrites(transactions, (transaction) => `line ${lineNumbers[transaction]}`);
  if (!index.ok) {
    const { transaction, field, message } = index.problem;
    throw new TransactionHistoryError(`${source}:${lineNumbers[transaction]}: ${field}: ${message}`);
  }
  return transactions;
}

function parseTransaction(value: unknown, where: string): Transaction {
  if (!isRecord(value)) throw new TransactionHistoryError(`${where}: expected a transaction object {"id", "status", "ops"}`);
  const { id, client, status, ops } = value;
  if (typeof id !== "string" || id === "") throw new TransactionHistoryError(`${where}: id: must be a non-empty string`);
  if (client !== undefined && typeof client !== "string") throw new TransactionHistoryError(`${where}: client: must be a string`);
  if (typeof status !== "string" || !STATUSES.includes(status as TransactionStatus)) {
    throw new TransactionHistoryError(`${where}: status: must be "committed", "aborted" or "unknown"`);
  }
  if (!Array.isArray(ops)) throw new TransactionHistoryError(`${where}: ops: must be an array of operations`);
  const operations = ops.map((op: unknown, index) => parseOperation(op, `${where}: ops[${index}]`));
  return { id, ...(client === undefined ? {} : { client }), status: status as TransactionStatus, ops: operations };
}

function parseOperation(op: unknown, where: string): TransactionOperation {
  if (!isRecord(op)) throw new TransactionHistoryError(`${where}: expected an operation {"f", "key", "value"}`);
  const { f, key, value } = op;
  if (typeof key !== "string") throw new TransactionHistoryError(`${where}.key: must be a string`);
  if (f === "w" || f === "append") {
    if (!isScalar(value)) throw new TransactionHistoryError(`${where}.value: a '${f}' needs a string or finite number`);
    return { f, key, value };
  }
  if (f !== "r") throw new TransactionHistoryError(`${where}.f: must be "r", "w" or "append"`);
  if (value === null || isScalar(value)) return { f, key, value };
  if (Array.isArray(value) && value.every(isScalar)) return { f, key, value: value as ScalarValue[] };
  throw new TransactionHistoryError(`${where}.value: a read's value must be null, a string, a finite number, or an array of those (a list)`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isScalar(value: unknown): value is ScalarValue {
  return typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}
