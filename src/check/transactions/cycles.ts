// Cycle searches in the dependency graph, most severe shape first; the first search that finds a
// cycle ends the hunt (one cycle is enough to break a level). Each search looks only inside the
// strongly connected components of the edges it may use, and finds a short cycle:
// - G0: a cycle of ww edges;
// - G1c: a wr edge closed by a path of ww/wr edges;
// - G-single: an rw edge closed by a path of ww/wr edges (exactly one rw);
// - G-nonadjacent: a cycle whose rw edges are never adjacent, by a breadth-first search over
//   (transaction, arrived by rw?) from each transaction in turn; run after the searches above
//   found nothing, whatever it finds has two or more rw edges;
// - any: any cycle at all (serializability forbids them all).

import { ALL_KINDS, components, PathSearch, RW, WR, WW, type Graph } from "./graph.ts";

export type CycleSearchName = "G0" | "G1c" | "G-single" | "G-nonadjacent" | "any";

/** The edge ids of the first cycle the searches find, in order, or undefined. Throws BudgetExhausted. */
export function findCycle(graph: Graph, searches: readonly CycleSearchName[], search: PathSearch): number[] | undefined {
  let all: ReturnType<typeof components> | undefined;
  const allComponents = () => (all ??= components(graph, ALL_KINDS));
  for (const name of searches) {
    const found =
      name === "G0" ? cycleThroughFirstNode(graph, 1 << WW, components(graph, 1 << WW), search)
      : name === "G1c" ? cycleClosing(graph, WR, (1 << WW) | (1 << WR), components(graph, (1 << WW) | (1 << WR)).component, search)
      : name === "G-single" ? cycleClosing(graph, RW, (1 << WW) | (1 << WR), allComponents().component, search)
      : name === "G-nonadjacent" ? nonadjacentCycle(graph, allComponents().component, allComponents().size, search)
      : cycleThroughFirstNode(graph, ALL_KINDS, allComponents(), search);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The shortest cycle through the first node that lies in a cycle over `mask` (`found`: the components over `mask`). */
function cycleThroughFirstNode(graph: Graph, mask: number, found: ReturnType<typeof components>, search: PathSearch): number[] | undefined {
  const { component, size } = found;
  for (let node = 0; node < graph.nodeCount; node++) {
    if (size[component[node]!]! > 1) return search.path(node, node, mask, component);
  }
  return undefined;
}

/** The first edge of kind `kind` that a path over `mask` closes into a cycle, with that path. */
function cycleClosing(graph: Graph, kind: number, mask: number, component: Int32Array, search: PathSearch): number[] | undefined {
  for (let edge = 0; edge < graph.edgeCount; edge++) {
    const from = graph.from[edge]!;
    const to = graph.to[edge]!;
    if (graph.kind[edge] !== kind || component[from] !== component[to]) continue;
    const back = search.path(to, from, mask, component);
    if (back !== undefined) return [edge, ...back];
  }
  return undefined;
}

/**
 * A cycle with no two adjacent rw edges (cyclically). A state is a node and whether the walk
 * arrived there by an rw edge; from each start s, the search looks for a walk from (s, no) back
 * to (s, no), so the closing edge is not rw and the first edge may be. A start's (s, no) state
 * is closed to later searches: a walk through it would have been found from s.
 */
function nonadjacentCycle(graph: Graph, component: Int32Array, size: Int32Array, search: PathSearch): number[] | undefined {
  const stateCount = graph.nodeCount * 2;
  const seen = new Int32Array(stateCount);
  const parentEdge = new Int32Array(stateCount);
  const parentState = new Int32Array(stateCount);
  const queue = new Int32Array(stateCount);
  const closed = new Uint8Array(stateCount);
  for (let start = 0; start < graph.nodeCount; start++) {
    if (size[component[start]!]! < 2) continue;
    const epoch = start + 1;
    const startState = start * 2;
    let head = 0;
    let tail = 0;
    queue[tail++] = startState;
    seen[startState] = epoch;
    while (head < tail) {
      const state = queue[head++]!;
      const node = state >> 1;
      const end = graph.offsets[node + 1]!;
      search.spend(end - graph.offsets[node]!);
      for (let cursor = graph.offsets[node]!; cursor < end; cursor++) {
        const edge = graph.edgeIds[cursor]!;
        const isRw = graph.kind[edge] === RW;
        if ((isRw && (state & 1) === 1) || component[graph.to[edge]!] !== component[start]) continue;
        const next = graph.to[edge]! * 2 + (isRw ? 1 : 0);
        if (next === startState) return simplify(graph, [...unwind(parentEdge, parentState, state, startState), edge]);
        if (closed[next] === 1 || seen[next] === epoch) continue;
        seen[next] = epoch;
        parentEdge[next] = edge;
        parentState[next] = state;
        queue[tail++] = next;
      }
    }
    closed[startState] = 1;
  }
  return undefined;
}

function unwind(parentEdge: Int32Array, parentState: Int32Array, state: number, startState: number): number[] {
  const edges: number[] = [];
  for (let current = state; current !== startState; current = parentState[current]!) edges.push(parentEdge[current]!);
  return edges.reverse();
}

/**
 * Cuts a closed walk with no adjacent rw edges down to a simple cycle with none: where a node
 * repeats, the walk splits into two closed walks, and at least one of them still has no adjacent
 * rw edges (if the inner one's new junction joins two rw edges, the outer one's cannot).
 */
function simplify(graph: Graph, walk: number[]): number[] {
  for (;;) {
    const firstVisit = new Map<number, number>();
    let repeat = -1;
    for (let index = 0; index < walk.length && repeat < 0; index++) {
      const node = graph.from[walk[index]!]!;
      if (firstVisit.has(node)) repeat = index;
      else firstVisit.set(node, index);
    }
    if (repeat < 0) return walk;
    const first = firstVisit.get(graph.from[walk[repeat]!]!)!;
    const inner = walk.slice(first, repeat);
    const outer = [...walk.slice(repeat), ...walk.slice(0, first)];
    walk = hasAdjacentRw(graph, inner) ? outer : inner;
  }
}

function hasAdjacentRw(graph: Graph, cycle: readonly number[]): boolean {
  return cycle.some((edge, index) => graph.kind[edge] === RW && graph.kind[cycle[(index + 1) % cycle.length]!] === RW);
}
