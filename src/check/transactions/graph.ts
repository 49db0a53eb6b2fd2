// The dependency graph of a history (Adya's DSG): one node per transaction, one edge per
// dependency (ww, wr, rw) with the key it is on. Built edge by edge under `edgesMax`, then frozen
// into arrays by source (compressed sparse rows) for the searches: strongly connected components
// (Tarjan, iterative) and shortest paths (breadth first) under `stepsMax` edge visits.

export const WW = 0;
export const WR = 1;
export const RW = 2;
export const KIND_NAMES = ["ww", "wr", "rw"] as const;

/** A set of edge kinds, as bits: `1 << WW | 1 << WR`. */
export type KindMask = number;
export const ALL_KINDS: KindMask = (1 << WW) | (1 << WR) | (1 << RW);

/** Thrown when a budget runs out; the check turns it into an "unknown" verdict. */
export class BudgetExhausted extends Error {
  constructor(readonly budget: "edgesMax" | "searchStepsMax", readonly limit: number) {
    super(`${budget} (${limit}) ran out`);
  }
}

export class GraphBuilder {
  readonly from: number[] = [];
  readonly to: number[] = [];
  readonly kind: number[] = [];
  readonly key: number[] = [];

  constructor(readonly nodeCount: number, readonly edgesMax: number) {}

  add(from: number, to: number, kind: number, key: number): void {
    if (from === to) return;
    if (this.from.length >= this.edgesMax) throw new BudgetExhausted("edgesMax", this.edgesMax);
    this.from.push(from);
    this.to.push(to);
    this.kind.push(kind);
    this.key.push(key);
  }

  freeze(): Graph {
    return new Graph(this.nodeCount, this.from, this.to, this.kind, this.key);
  }
}

export class Graph {
  /** Edges leaving node n are `edgeIds[offsets[n] .. offsets[n + 1])`. */
  readonly offsets: Int32Array;
  readonly edgeIds: Int32Array;

  constructor(
    readonly nodeCount: number,
    readonly from: readonly number[],
    readonly to: readonly number[],
    readonly kind: readonly number[],
    readonly key: readonly number[],
  ) {
    this.offsets = new Int32Array(nodeCount + 1);
    for (const source of from) this.offsets[source + 1]!++;
    for (let node = 0; node < nodeCount; node++) this.offsets[node + 1]! += this.offsets[node]!;
    const next = this.offsets.slice(0, nodeCount);
    this.edgeIds = new Int32Array(from.length);
    for (let edge = 0; edge < from.length; edge++) this.edgeIds[next[from[edge]!]!++] = edge;
  }

  get edgeCount(): number {
    return this.from.length;
  }
}

/** Strongly connected components over the edges whose kind is in `mask`: a component id per node and each component's size. */
export function components(graph: Graph, mask: KindMask): { readonly component: Int32Array; readonly size: Int32Array } {
  const count = graph.nodeCount;
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const component = new Int32Array(count).fill(-1);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const sizes: number[] = [];
  const callNode: number[] = [];
  const callCursor: number[] = [];
  let counter = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    callNode.push(root);
    callCursor.push(graph.offsets[root]!);
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (callNode.length > 0) {
      const node = callNode[callNode.length - 1]!;
      const cursor = callCursor[callCursor.length - 1]!;
      if (cursor < graph.offsets[node + 1]!) {
        callCursor[callCursor.length - 1] = cursor + 1;
        const edge = graph.edgeIds[cursor]!;
        if (((mask >> graph.kind[edge]!) & 1) === 0) continue;
        const target = graph.to[edge]!;
        if (index[target] === -1) {
          index[target] = low[target] = counter++;
          stack.push(target);
          onStack[target] = 1;
          callNode.push(target);
          callCursor.push(graph.offsets[target]!);
        } else if (onStack[target] === 1) low[node] = Math.min(low[node]!, index[target]!);
        continue;
      }
      callNode.pop();
      callCursor.pop();
      if (callNode.length > 0) {
        const parent = callNode[callNode.length - 1]!;
        low[parent] = Math.min(low[parent]!, low[node]!);
      }
      if (low[node] !== index[node]) continue;
      let size = 0;
      for (;;) {
        const member = stack.pop()!;
        onStack[member] = 0;
        component[member] = sizes.length;
        size++;
        if (member === node) break;
      }
      sizes.push(size);
    }
  }
  return { component, size: Int32Array.from(sizes) };
}

/** Breadth-first searches that share scratch arrays and one budget of edge visits. */
export class PathSearch {
  private steps = 0;
  private epoch = 0;
  private readonly seen: Int32Array;
  private readonly parentEdge: Int32Array;
  private readonly queue: Int32Array;

  constructor(readonly graph: Graph, readonly stepsMax: number) {
    this.seen = new Int32Array(graph.nodeCount);
    this.parentEdge = new Int32Array(graph.nodeCount);
    this.queue = new Int32Array(graph.nodeCount);
  }

  /** Counts `count` edge visits against the budget. */
  spend(count: number): void {
    this.steps += count;
    if (this.steps > this.stepsMax) throw new BudgetExhausted("searchStepsMax", this.stepsMax);
  }

  get stepsTaken(): number {
    return this.steps;
  }

  /**
   * A shortest path of edges from `source` to `target` over kinds in `mask`, staying inside
   * `component` (ids per node) — or undefined. Source and target may be the same node only
   * through at least one edge; then the path is a cycle.
   */
  path(source: number, target: number, mask: KindMask, component: Int32Array): number[] | undefined {
    const { graph, seen, parentEdge, queue } = this;
    const epoch = ++this.epoch;
    const inside = component[source]!;
    let head = 0;
    let tail = 0;
    queue[tail++] = source;
    if (source !== target) seen[source] = epoch;
    while (head < tail) {
      const node = queue[head++]!;
      const end = graph.offsets[node + 1]!;
      this.spend(end - graph.offsets[node]!);
      for (let cursor = graph.offsets[node]!; cursor < end; cursor++) {
        const edge = graph.edgeIds[cursor]!;
        const next = graph.to[edge]!;
        if (((mask >> graph.kind[edge]!) & 1) === 0 || seen[next] === epoch || component[next] !== inside) continue;
        seen[next] = epoch;
        parentEdge[next] = edge;
        if (next === target) return this.unwind(source, target);
        queue[tail++] = next;
      }
    }
    return undefined;
  }

  private unwind(source: number, target: number): number[] {
    const edges: number[] = [];
    let node = target;
    do {
      const edge = this.parentEdge[node]!;
      edges.push(edge);
      node = this.graph.from[edge]!;
    } while (node !== source);
    return edges.reverse();
  }
}
