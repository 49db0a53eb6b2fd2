// The dependency edges of one register key, from addRegisterEdges alone on hand-built reads and
// writes: the version order comes from transactions that read a version and then wrote (ww from
// the read version's writer), a read gets wr from its writer and rw to every version written over
// what it read; a non-final write, a writer outside the graph and a value never written give no
// version to build on. Every expected edge below is derived by hand in the test's comment.

import { describe, expect, test } from "vitest";
import { GraphBuilder } from "../../src/check/transactions/graph.ts";
import { valueId } from "../../src/check/transactions/history.ts";
import type { ExternalRead, ReadThenWrite } from "../../src/check/transactions/reads.ts";
import { addRegisterEdges } from "../../src/check/transactions/registers.ts";
import type { KeyIndex } from "../../src/check/transactions/writes.ts";

const KIND = ["ww", "wr", "rw"] as const;

describe("register edges", () => {
  test("ww from the version read to the one written over it, wr from the writer, rw to each overwrite", () => {
    // Writes in history order: T0 x=1; T1 x=2 and T2 x=3, each after reading 1; T3 x=4 after reading nil;
    // T7 x=5 then x=6 (5 is not its final write); T9 x=7 but T9 is outside the graph; T11 x=8 after reading 5.
    // Versions: 2 and 3 over 1 (ww 0→1, 0→2); 1, 4, 6 over nil; 8 over nil too, since 5 is no version.
    // Reads: T4 read 2: wr 1→4, nothing over 2. T5 read nil: rw 5→0, 5→3, 5→7, 5→11.
    // T6 read 1: wr 0→6, rw 6→1, 6→2. T8 read 5: wr 7→8 (T7 wrote it), no rw (5 is no version).
    // T10 read 7: its writer is outside the graph: nothing. T12 read 99, never written: nothing.
    // T13 read 7 and wrote 9: 7 is no version (its writer is outside), so 9 is over nil: rw 5→13.
    const key: KeyIndex = { name: "x", number: 3, kind: "register", kindFrom: undefined, writers: new Map() };
    const writes: [number, number, boolean][] = [[0, 1, true], [1, 2, true], [2, 3, true], [3, 4, true], [7, 5, false], [7, 6, true], [9, 7, true], [11, 8, true], [13, 9, true]];
    for (const [transaction, value, final] of writes) key.writers.set(valueId(value), { transaction, operation: 0, final });
    const read = (reader: number, values: number[]): ExternalRead => ({ reader, key, observed: values.map(valueId) });
    const readThenWrite = (transaction: number, values: number[], written: number): ReadThenWrite => ({ transaction, key, observed: values.map(valueId), written: valueId(written) });
    const inGraph = new Uint8Array(14).fill(1);
    inGraph[9] = 0;
    const graph = new GraphBuilder(14, 100);
    addRegisterEdges(
      key,
      [read(4, [2]), read(5, []), read(6, [1]), read(8, [5]), read(10, [7]), read(12, [99])],
      [readThenWrite(1, [1], 2), readThenWrite(2, [1], 3), readThenWrite(3, [], 4), readThenWrite(11, [5], 8), readThenWrite(13, [7], 9)],
      inGraph,
      graph,
    );
    const edges = graph.from.map((from, index) => `${from} -${KIND[graph.kind[index]!]}-> ${graph.to[index]}`).sort();
    expect(edges).toEqual(["0 -wr-> 6", "0 -ww-> 1", "0 -ww-> 2", "1 -wr-> 4", "5 -rw-> 0", "5 -rw-> 11", "5 -rw-> 13", "5 -rw-> 3", "5 -rw-> 7", "6 -rw-> 1", "6 -rw-> 2", "7 -wr-> 8"]);
    expect(graph.key.every((number) => number === 3)).toBe(true);
  });
});
