// What committed transactions read. A read of a key the transaction has not yet written is
// external: it observed some version, and becomes edges of the dependency graph; it must show
// values some transaction wrote (else garbage-read), not the reader's own (internal), not an
// aborted transaction's (G1a), not a value its writer overwrote before committing (G1b). A read
// after the transaction's own write to the key is internal: it must show that write (a register)
// or end with the transaction's appends so far (a list); what a list shows before them is the
// version the transaction saw of the others' appends, and counts as an external read.
// Aborted transactions' reads are not used; nor are reads of transactions whose outcome is
// unknown (their client never learnt what they saw). A transaction of unknown outcome whose
// write a committed transaction read must have committed: it joins the graph.

import { ANOMALY_TITLES, type Anomaly, type AnomalyName, type ReadAnomalyName } from "./anomalies.ts";
import { describeValue, valueId, valueOf, type ScalarValue, type Transaction, type ValueId } from "./history.ts";
import type { KeyIndex } from "./writes.ts";

/** A read's content as value ids: `[v]` for a register holding v, the elements for a list, `[]` for nil. */
export type Observed = readonly ValueId[];

export interface ExternalRead {
  readonly reader: number;
  readonly key: KeyIndex;
  readonly observed: Observed;
}

/** A transaction that read a key (its last external read) and then wrote it: `written` is its last write. */
export interface ReadThenWrite {
  readonly transaction: number;
  readonly key: KeyIndex;
  readonly observed: Observed;
  readonly written: ValueId;
}

export interface ReadAnalysis {
  readonly reads: readonly ExternalRead[];
  readonly readThenWrites: readonly ReadThenWrite[];
  /** 1 for each transaction in the dependency graph: committed, or unknown and read by one. */
  readonly inGraph: Uint8Array;
}

/**
 * Walks the committed transactions' operations; reports read anomalies into `found` (the first of
 * each name). A list read with a repeated element is reported and not used further.
 */
export function analyzeReads(transactions: readonly Transaction[], keys: ReadonlyMap<string, KeyIndex>, found: Map<AnomalyName, Anomaly>): ReadAnalysis {
  const reads: ExternalRead[] = [];
  const readThenWrites: ReadThenWrite[] = [];
  const inGraph = new Uint8Array(transactions.length);
  transactions.forEach((transaction, index) => {
    if (transaction.status === "committed") inGraph[index] = 1;
  });
  const report = (name: ReadAnomalyName, reader: number, writer: number | null, key: KeyIndex, value: ReadValue, detail: string) => {
    if (found.has(name)) return;
    const writerId = writer === null ? null : transactions[writer]!.id;
    const summary = `${ANOMALY_TITLES[name]}: ${transactions[reader]!.id} read ${key.name} = ${describeValue(value)}${detail}`;
    found.set(name, { name, summary, reader: transactions[reader]!.id, writer: writerId, key: key.name, value });
  };
  const own = new Map<KeyIndex, ValueId[]>();
  const lastRead = new Map<KeyIndex, Observed>();
  for (let reader = 0; reader < transactions.length; reader++) {
    const transaction = transactions[reader]!;
    if (transaction.status !== "committed") continue;
    own.clear();
    lastRead.clear();
    for (const op of transaction.ops) {
      const key = keys.get(op.key)!;
      if (op.f !== "r") {
        const mine = own.get(key) ?? [];
        mine.push(valueId(op.value));
        own.set(key, mine);
        continue;
      }
      let observed = observedIds(op.value);
      const mine = own.get(key);
      if (mine !== undefined) {
        const shown = key.kind === "list" ? endsWith(observed, mine) : observed.length === 1 && observed[0] === mine[mine.length - 1];
        if (!shown) {
          const wrote = key.kind === "list" ? `appending ${mine.map(describeElement).join(", ")}` : `writing ${describeElement(mine[mine.length - 1]!)}`;
          report("internal", reader, reader, key, op.value, ` after ${wrote}`);
        }
        if (!shown || key.kind !== "list") continue;
        observed = observed.slice(0, observed.length - mine.length);
      }
      if (!checkExternal(reader, key, observed, op.value, transactions, inGraph, report, found)) continue;
      reads.push({ reader, key, observed });
      lastRead.set(key, observed);
    }
    for (const [key, mine] of own) {
      const observed = lastRead.get(key);
      if (observed !== undefined) readThenWrites.push({ transaction: reader, key, observed, written: mine[mine.length - 1]! });
    }
  }
  return { reads, readThenWrites, inGraph };
}

type ReadValue = ScalarValue | readonly ScalarValue[] | null;
type Report = (name: ReadAnomalyName, reader: number, writer: number | null, key: KeyIndex, value: ReadValue, detail: string) => void;

function checkExternal(
  reader: number,
  key: KeyIndex,
  observed: Observed,
  value: ReadValue,
  transactions: readonly Transaction[],
  inGraph: Uint8Array,
  report: Report,
  found: Map<AnomalyName, Anomaly>,
): boolean {
  const isList = key.kind === "list";
  if (isList && new Set(observed).size !== observed.length) {
    const summary = `${ANOMALY_TITLES["incompatible-order"]}: ${transactions[reader]!.id} read ${key.name} = ${describeValue(value)}, with an element twice`;
    if (!found.has("incompatible-order")) found.set("incompatible-order", { name: "incompatible-order", summary, key: key.name, reads: [{ transaction: transactions[reader]!.id, value: observed.map(valueOf) }] });
    return false;
  }
  for (const id of observed) {
    const write = key.writers.get(id);
    if (write === undefined) {
      report("garbage-read", reader, null, key, value, isList ? `, but no transaction appended ${describeElement(id)}` : ", which no transaction wrote");
      continue;
    }
    const status = transactions[write.transaction]!.status;
    if (write.transaction === reader) report("internal", reader, reader, key, value, isList ? ` before appending ${describeElement(id)}` : " before writing it");
    else if (status === "aborted") {
      const writer = transactions[write.transaction]!.id;
      report("G1a", reader, write.transaction, key, value, isList ? `, whose ${describeElement(id)} was appended by ${writer}, which aborted` : `, written by ${writer}, which aborted`);
    } else if (status === "unknown") inGraph[write.transaction] = 1;
  }
  const last = observed.length === 0 ? undefined : key.writers.get(observed[observed.length - 1]!);
  if (last === undefined || last.final || last.transaction === reader || transactions[last.transaction]!.status === "aborted") return true;
  const writer = transactions[last.transaction]!.id;
  report("G1b", reader, last.transaction, key, value, isList ? `, but ${writer} appended to it again before committing` : `, which ${writer} overwrote before committing`);
  return true;
}

function describeElement(id: ValueId): string {
  return describeValue(valueOf(id));
}

function observedIds(value: ReadValue): Observed {
  if (value === null) return [];
  if (typeof value === "object") return value.map(valueId);
  return [valueId(value)];
}

function endsWith(observed: Observed, mine: readonly ValueId[]): boolean {
  if (observed.length < mine.length) return false;
  const offset = observed.length - mine.length;
  return mine.every((id, index) => observed[offset + index] === id);
}
