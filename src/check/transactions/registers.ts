// Dependency edges on register keys. Unique writes make every read name its writer, so wr edges
// are exact. The version order is not in the history; the checker uses only what it implies:
// - the initial version (nil) precedes every write;
// - a committed transaction that read x = a and then wrote x = b installed b after a ("writes
//   follow reads"; were b before a, the writer of a would reach the reader by wr and the reader
//   would reach it back by ww: G1c, forbidden at every level the checker knows).
// So each version has at most one known predecessor: versions form a tree under nil. The edges:
// ww from the writer of a to the writer of each child b of a; rw from every reader of a to the
// writer of each child of a (the versions known to come right after a; the children of nil are
// the versions with no known predecessor). Only committed transactions' last writes are
// versions; a reader that wrote a child itself gets no edge to itself.

import { RW, WR, WW, type GraphBuilder } from "./graph.ts";
import type { ValueId } from "./history.ts";
import type { ExternalRead, ReadThenWrite } from "./reads.ts";
import type { KeyIndex } from "./writes.ts";

const INITIAL = "";

/** Adds the ww, wr and rw edges of register `key` to `graph`. */
export function addRegisterEdges(
  key: KeyIndex,
  reads: readonly ExternalRead[],
  readThenWrites: readonly ReadThenWrite[],
  inGraph: Uint8Array,
  graph: GraphBuilder,
): void {
  const writerOf = (id: ValueId): number => {
    const write = key.writers.get(id);
    return write !== undefined && write.final && inGraph[write.transaction] === 1 ? write.transaction : -1;
  };
  const parent = new Map<ValueId, ValueId>();
  for (const { observed, written } of readThenWrites) {
    const read = observed[0] ?? INITIAL;
    if (read === INITIAL || writerOf(read) >= 0) parent.set(written, read);
  }
  const children = new Map<ValueId, ValueId[]>();
  for (const [id, write] of key.writers) {
    if (!write.final || inGraph[write.transaction] !== 1) continue;
    const above = parent.get(id) ?? INITIAL;
    const list = children.get(above);
    if (list === undefined) children.set(above, [id]);
    else list.push(id);
    if (above !== INITIAL) graph.add(writerOf(above), write.transaction, WW, key.number);
  }
  for (const { reader, observed } of reads) {
    const read = observed[0] ?? INITIAL;
    if (read !== INITIAL) {
      const write = key.writers.get(read);
      if (write !== undefined && inGraph[write.transaction] === 1) graph.add(write.transaction, reader, WR, key.number);
    }
    if (read !== INITIAL && writerOf(read) < 0) continue;
    for (const child of children.get(read) ?? []) graph.add(reader, writerOf(child), RW, key.number);
  }
}
