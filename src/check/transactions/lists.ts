// Dependency edges on list (append) keys. Every version of a list extends the one before, so
// every committed read must be a prefix of the longest one (else incompatible-order), and the
// longest read spells out the version order of every append it holds. The edges:
// - ww between the writers of consecutive elements of the longest read, when they differ;
// - wr from the writer of a read's last element to the reader;
// - rw from a reader to the first writer after the end of what it read, other than the writer of
//   its last element (whose further appends it missed: G1b);
// - an append no read observed came after every observed one: ww from the writer of the longest
//   read's last element to its writer, and rw from the readers of the longest read to it.
// Only committed transactions (and unknown ones some committed read observed) take part.

import { ANOMALY_TITLES, type Anomaly, type AnomalyName } from "./anomalies.ts";
import { RW, WR, WW, type GraphBuilder } from "./graph.ts";
import { describeValue, valueOf, type Transaction, type ValueId } from "./history.ts";
import type { ExternalRead } from "./reads.ts";
import type { KeyIndex } from "./writes.ts";

/** Adds the ww, wr and rw edges of list `key` to `graph`; reports the first pair of incompatible reads into `found`. */
export function addListEdges(
  key: KeyIndex,
  reads: readonly ExternalRead[],
  inGraph: Uint8Array,
  graph: GraphBuilder,
  transactions: readonly Transaction[],
  found: Map<AnomalyName, Anomaly>,
): void {
  let longest: ExternalRead | undefined;
  for (const read of reads) if (longest === undefined || read.observed.length > longest.observed.length) longest = read;
  const order = longest?.observed ?? [];
  const compatible = reads.filter((read) => {
    if (isPrefix(read.observed, order)) return true;
    if (!found.has("incompatible-order")) found.set("incompatible-order", incompatible(key, read, longest!, transactions));
    return false;
  });
  const writerAt = order.map((id) => {
    const write = key.writers.get(id);
    return write !== undefined && inGraph[write.transaction] === 1 ? write.transaction : -1;
  });
  let lastWriter = -1;
  for (const writer of writerAt) {
    if (writer < 0) continue;
    if (lastWriter >= 0 && writer !== lastWriter) graph.add(lastWriter, writer, WW, key.number);
    lastWriter = writer;
  }
  const inOrder = new Set<ValueId>(order);
  const unobserved = new Set<number>();
  for (const [id, write] of key.writers) {
    if (inOrder.has(id) || inGraph[write.transaction] !== 1 || unobserved.has(write.transaction)) continue;
    unobserved.add(write.transaction);
    if (lastWriter >= 0) graph.add(lastWriter, write.transaction, WW, key.number);
  }
  for (const { reader, observed } of compatible) {
    const end = observed.length;
    const base = end === 0 ? -1 : writerAt[end - 1]!;
    if (base >= 0) graph.add(base, reader, WR, key.number);
    let next = end;
    while (next < writerAt.length && (writerAt[next]! < 0 || writerAt[next] === base)) next++;
    if (next < writerAt.length) graph.add(reader, writerAt[next]!, RW, key.number);
    else for (const writer of unobserved) if (writer !== base) graph.add(reader, writer, RW, key.number);
  }
}

function isPrefix(read: readonly ValueId[], order: readonly ValueId[]): boolean {
  if (read.length > order.length) return false;
  for (let index = 0; index < read.length; index++) if (read[index] !== order[index]) return false;
  return true;
}

function incompatible(key: KeyIndex, read: ExternalRead, longest: ExternalRead, transactions: readonly Transaction[]): Anomaly {
  const shown = (value: ExternalRead) => ({ transaction: transactions[value.reader]!.id, value: value.observed.map(valueOf) });
  const [one, other] = [shown(read), shown(longest)];
  const summary =
    `${ANOMALY_TITLES["incompatible-order"]}: ${one.transaction} read ${key.name} = ${describeValue(one.value)} and ` +
    `${other.transaction} read ${key.name} = ${describeValue(other.value)}; neither is a prefix of the other`;
  return { name: "incompatible-order", summary, key: key.name, reads: [one, other] };
}
