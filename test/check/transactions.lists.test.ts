// The dependency edges of one list (append) key, from addListEdges alone on hand-built reads: the
// longest read spells the version order, ww joins the writers of consecutive elements, wr runs
// from the writer of a read's last element to the reader, rw from a reader to the first writer
// after what it read (skipping that same writer and writers outside the graph), appends no read
// observed come after every observed one, and incompatible reads add no edges and are reported
// once, the first of them. Every expected edge list below is derived by hand in its comment.

import { describe, expect, test } from "vitest";
import type { Anomaly, AnomalyName } from "../../src/check/transactions/anomalies.ts";
import { GraphBuilder } from "../../src/check/transactions/graph.ts";
import { valueId, type Transaction } from "../../src/check/transactions/history.ts";
import { addListEdges } from "../../src/check/transactions/lists.ts";
import type { ExternalRead } from "../../src/check/transactions/reads.ts";
import type { KeyIndex } from "../../src/check/transactions/writes.ts";

const KIND = ["ww", "wr", "rw"] as const;

/**
 * Runs addListEdges on key x (number 0). `appends` is [transaction, value] in history order;
 * `reads` is [reader, values read]; `outside` are transactions not in the graph.
 */
function edges(transactionCount: number, appends: [number, number][], reads: [number, number[]][], outside: number[] = []) {
  const key: KeyIndex = { name: "x", number: 0, kind: "list", kindFrom: undefined, writers: new Map() };
  for (const [transaction, value] of appends) key.writers.set(valueId(value), { transaction, operation: 0, final: true });
  const inGraph = new Uint8Array(transactionCount).fill(1);
  for (const transaction of outside) inGraph[transaction] = 0;
  const external: ExternalRead[] = reads.map(([reader, values]) => ({ reader, key, observed: values.map(valueId) }));
  const graph = new GraphBuilder(transactionCount, 1_000);
  const transactions: Transaction[] = Array.from({ length: transactionCount }, (_, index) => ({ id: `T${index}`, status: "committed", ops: [] }));
  const found = new Map<AnomalyName, Anomaly>();
  addListEdges(key, external, inGraph, graph, transactions, found);
  const list = graph.from.map((from, index) => `${from} -${KIND[graph.kind[index]!]}-> ${graph.to[index]}`);
  expect(graph.key.every((number) => number === 0)).toBe(true);
  return { list: [...list].sort(), found };
}

describe("list edges", () => {
  test("ww along the longest read, wr to each reader, rw to the next writer, and an unobserved append last", () => {
    // T0, T1, T2 append 1, 2, 3; T2 also appends 5 and T7 appends 4, which no read saw.
    // T4 reads [1,2,3], T5 reads [1], T6 reads [].
    // ww: 0→1, 1→2 (order), 2→7 (unobserved after the last observed writer; 2→2 is no edge).
    // T4: wr 2→4; nothing after what it read but the unobserved {2, 7}: rw 4→7, not to 2 (its own last writer: G1b).
    // T5: wr 0→5, rw 5→1. T6 read nothing: no wr, rw 6→0.
    const { list, found } = edges(8, [[0, 1], [1, 2], [2, 3], [2, 5], [7, 4]], [[4, [1, 2, 3]], [5, [1]], [6, []]]);
    expect(list).toEqual(["0 -wr-> 5", "0 -ww-> 1", "1 -ww-> 2", "2 -wr-> 4", "2 -ww-> 7", "4 -rw-> 7", "5 -rw-> 1", "6 -rw-> 0"]);
    expect(found.size).toBe(0);
  });

  test("the next writer skips the reader's own last writer and writers outside the graph", () => {
    // T0 appends 1 and 2, T1 (outside the graph) 3, T2 4. T3 reads [1,2,3,4], T4 [1], T5 [1,2,3].
    // Order writers [0, 0, -, 2]: ww 0→2 only. T3: wr 2→3. T4: wr 0→4; after [1] come 0 (its own
    // last writer), then T1 (outside), then T2: rw 4→2. T5: its last element's writer is outside, so no wr; rw 5→2.
    const { list } = edges(6, [[0, 1], [0, 2], [1, 3], [2, 4]], [[3, [1, 2, 3, 4]], [4, [1]], [5, [1, 2, 3]]], [1]);
    expect(list).toEqual(["0 -wr-> 4", "0 -ww-> 2", "2 -wr-> 3", "4 -rw-> 2", "5 -rw-> 2"]);
  });

  test("with no observed append, an unobserved one gets rw from the readers and no ww", () => {
    // T0 appends 1, T2 (outside the graph) appends 9; T1 reads []: rw 1→0 only.
    const { list } = edges(3, [[0, 1], [2, 9]], [[1, []]], [2]);
    expect(list).toEqual(["1 -rw-> 0"]);
  });

  test("no reads, no edges", () => {
    expect(edges(2, [[0, 1], [1, 2]], []).list).toEqual([]);
  });

  test("incompatible reads add no edges; the first one is reported against the longest read", () => {
    // T0, T1, T2 append 1, 2, 3. T3 reads [1,2,3] (longest); T4 [2] and T5 [3] are not prefixes of it; T6 [1] is.
    // Edges: ww 0→1, 1→2; wr 2→3; T6: wr 0→6, rw 6→1. T4 is reported, not T5.
    const { list, found } = edges(7, [[0, 1], [1, 2], [2, 3]], [[3, [1, 2, 3]], [4, [2]], [5, [3]], [6, [1]]]);
    expect(list).toEqual(["0 -wr-> 6", "0 -ww-> 1", "1 -ww-> 2", "2 -wr-> 3", "6 -rw-> 1"]);
    expect([...found.keys()]).toEqual(["incompatible-order"]);
    expect(found.get("incompatible-order")).toEqual({
      name: "incompatible-order",
      summary: "incompatible order: T4 read x = [2] and T3 read x = [1, 2, 3]; neither is a prefix of the other",
      key: "x",
      reads: [{ transaction: "T4", value: [2] }, { transaction: "T3", value: [1, 2, 3] }],
    });
  });

  test("of two reads of the same length, the first is the longest", () => {
    // T2 reads [1,2], T3 reads [2,1]: T2's order is kept, T3 is the incompatible one.
    const { list, found } = edges(4, [[0, 1], [1, 2]], [[2, [1, 2]], [3, [2, 1]]]);
    expect(list).toEqual(["0 -ww-> 1", "1 -wr-> 2"]);
    expect(found.get("incompatible-order")?.summary).toBe("incompatible order: T3 read x = [2, 1] and T2 read x = [1, 2]; neither is a prefix of the other");
  });
});
