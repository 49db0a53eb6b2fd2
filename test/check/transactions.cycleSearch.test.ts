// The G-nonadjacent cycle search on small hand-built graphs, where the answer is derived by hand:
// a cycle whose only route has two rw edges in a row is not one, and a shortest closed walk that
// passes a node twice (once arriving by rw, once not) is cut down to the simple cycle inside it.

import { describe, expect, test } from "vitest";
import { findCycle } from "../../src/check/transactions/cycles.ts";
import { GraphBuilder, PathSearch, RW, WR, WW } from "../../src/check/transactions/graph.ts";

/** Edges as [from, to, kind]; edge ids are their positions. */
function nonadjacent(nodeCount: number, edges: readonly [number, number, number][]) {
  const builder = new GraphBuilder(nodeCount, 100);
  for (const [from, to, kind] of edges) builder.add(from, to, kind, 0);
  const graph = builder.freeze();
  return findCycle(graph, ["G-nonadjacent"], new PathSearch(graph, 10_000));
}

describe("G-nonadjacent search", () => {
  test("a cycle whose two rw edges follow each other is not found; with a ww between them it is", () => {
    // 0 -ww-> 1 -rw-> 2 -rw-> 3 -ww-> 0: the rw edges 1→2 and 2→3 are adjacent.
    expect(nonadjacent(4, [[0, 1, WW], [1, 2, RW], [2, 3, RW], [3, 0, WW]])).toBeUndefined();
    // 0 -ww-> 1 -rw-> 2 -ww-> 3 -rw-> 0: rw edges 1 and 3 are apart, and 3→0 then 0→1 is rw then ww.
    // The walk from node 0 would close with rw (not allowed: the closing edge is never rw), so it is
    // found from node 1, starting with its rw edge: edges 1, 2, 3, 0.
    expect(nonadjacent(4, [[0, 1, WW], [1, 2, RW], [2, 3, WW], [3, 0, RW]])).toEqual([1, 2, 3, 0]);
  });

  test("a closed walk through a node twice is cut to the simple cycle inside it", () => {
    // Edges: 0: 0 -rw-> 1, 1: 1 -ww-> 2, 2: 2 -wr-> 1, 3: 1 -rw-> 3, 4: 3 -ww-> 0.
    // From node 0 the shortest walk back (never two rw in a row) is 0→1 (rw), 1→2, 2→1, 1→3 (rw), 3→0:
    // it arrives at 1 by rw, so must leave by 1→2, and comes back to 1 by wr to take 1→3.
    // Node 1 repeats; the inner closed walk 1→2→1 (ww, wr) has no rw at all: that is the cycle.
    expect(nonadjacent(4, [[0, 1, RW], [1, 2, WW], [2, 1, WR], [1, 3, RW], [3, 0, WW]])).toEqual([1, 2]);
  });
});
