// The cycle searches of the transaction checker against brute force (fast-check): on random small
// dependency graphs, each search finds a cycle exactly when some simple cycle of its shape exists,
// and what it returns is a simple cycle of that shape.

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { propertyOptions } from "../fixtures/propertyRuns.ts";
import { classifyCycle, type CycleAnomalyName } from "../../src/check/transactions/anomalies.ts";
import { findCycle, type CycleSearchName } from "../../src/check/transactions/cycles.ts";
import { GraphBuilder, KIND_NAMES, PathSearch, RW, type Graph } from "../../src/check/transactions/graph.ts";

const NODES = 6;

const edgesArbitrary = fc.array(
  fc.record({ from: fc.nat(NODES - 1), to: fc.nat(NODES - 1), kind: fc.nat(2) }),
  { maxLength: 14 },
);

function buildGraph(edges: readonly { from: number; to: number; kind: number }[]): Graph {
  const builder = new GraphBuilder(NODES, 1000);
  for (const { from, to, kind } of edges) builder.add(from, to, kind, 0);
  return builder.freeze();
}

/** Every simple cycle, as edge ids, by depth-first search from each cycle's smallest node. */
function simpleCycles(graph: Graph): number[][] {
  const cycles: number[][] = [];
  const extend = (start: number, node: number, path: number[], visited: Set<number>) => {
    for (let cursor = graph.offsets[node]!; cursor < graph.offsets[node + 1]!; cursor++) {
      const edge = graph.edgeIds[cursor]!;
      const next = graph.to[edge]!;
      if (next === start) cycles.push([...path, edge]);
      else if (next > start && !visited.has(next)) extend(start, next, [...path, edge], new Set([...visited, next]));
    }
  };
  for (let start = 0; start < NODES; start++) extend(start, start, [], new Set([start]));
  return cycles;
}

const shapeOf = (graph: Graph, cycle: readonly number[]) => classifyCycle(cycle.map((edge) => KIND_NAMES[graph.kind[edge]!]!));

/** The shapes a search may find. */
const SHAPES: Readonly<Record<CycleSearchName, readonly CycleAnomalyName[]>> = {
  G0: ["G0"],
  G1c: ["G1c"],
  "G-single": ["G-single"],
  "G-nonadjacent": ["G0", "G1c", "G-single", "G-nonadjacent"],
  any: ["G0", "G1c", "G-single", "G-nonadjacent", "G2-item"],
};

function isSimpleCycle(graph: Graph, cycle: readonly number[]): boolean {
  const nodes = cycle.map((edge) => graph.from[edge]!);
  const chained = cycle.every((edge, index) => graph.to[edge] === graph.from[cycle[(index + 1) % cycle.length]!]);
  return chained && new Set(nodes).size === nodes.length;
}

describe("cycle searches agree with brute force", () => {
  test.each(Object.keys(SHAPES) as CycleSearchName[])("%s", (name) => {
    fc.assert(
      fc.property(edgesArbitrary, (edges) => {
        const graph = buildGraph(edges);
        const exists = simpleCycles(graph).some((cycle) => SHAPES[name].includes(shapeOf(graph, cycle)));
        const found = findCycle(graph, [name], new PathSearch(graph, 1_000_000));
        expect(found !== undefined).toBe(exists);
        if (found === undefined) return;
        expect(isSimpleCycle(graph, found)).toBe(true);
        expect(SHAPES[name]).toContain(shapeOf(graph, found));
      }),
      propertyOptions(2000),
    );
  });

  test("a write skew's two adjacent rw edges are not a G-nonadjacent cycle", () => {
    const graph = buildGraph([
      { from: 0, to: 1, kind: RW },
      { from: 1, to: 0, kind: RW },
    ]);
    expect(findCycle(graph, ["G-nonadjacent"], new PathSearch(graph, 100))).toBeUndefined();
    expect(findCycle(graph, ["any"], new PathSearch(graph, 100))).toHaveLength(2);
  });
});
