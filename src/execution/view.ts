// The execution view: how π, the invariants and `settled` see a simulation. It reads the engine's
// state live, and indexes notes by label as they are recorded.

import type { Json, NodeId } from "../core/json.ts";
import type { ExecutionView, NodeView, NoteRecord } from "../core/scenario.ts";
import type { SimulationState } from "../kernel/simulation.ts";

// The views are classes, their getters and methods on the prototype. An object literal with
// getters made per execution kept each execution's whole graph alive past two young-generation
// collections (its accessors pinned it from old space until the next full collection): 10 KB
// promoted per execution, a third of a delivery sweep's time in the garbage collector. Call the
// getters stay on the prototype; `state` and `notes` are bound at construction, as the kit's
// helpers are handed `view.notes` alone.

export function viewOf<Workload>(simulation: SimulationState, variant: string, workload: Workload): ExecutionView<Workload> {
  return new SimulationView(simulation, variant, workload);
}

/** How π, the invariants and `settled` see a simulation: its state read live, its notes indexed by label as recorded. */
class SimulationView<Workload> implements ExecutionView<Workload> {
  readonly trace: SimulationState["trace"];
  private readonly notesByLabel = new Map<string, NoteRecord[]>();
  private indexedUpTo = 0;

  constructor(
    private readonly simulation: SimulationState,
    readonly variant: string,
    readonly workload: Workload,
  ) {
    this.trace = simulation.trace;
    this.state = this.stateOf.bind(this);
    this.notes = this.notesOf.bind(this);
  }

  // Bound, not arrow fields: under tsx an arrow field is renamed for every view made.
  readonly state: <State>(node: NodeId) => State;
  readonly notes: (label: string) => readonly NoteRecord[];

  get endedAtMs(): number {
    return this.simulation.timeMs;
  }

  get nodes(): Record<NodeId, NodeView> {
    const simulation = this.simulation;
    const nodes: Record<NodeId, NodeView> = {};
    for (const id of simulation.nodeIds) {
      nodes[id] = { up: simulation.isUp(id), state: simulation.stateOf(id), disk: simulation.diskOf(id) };
    }
    return nodes;
  }

  private stateOf<State>(node: NodeId): State {
    if (!this.simulation.nodeIds.includes(node)) throw new TypeError(`no node '${node}' in this execution`);
    return this.simulation.stateOf(node) as State;
  }

  private notesOf(label: string): readonly NoteRecord[] {
    const trace = this.trace;
    for (; this.indexedUpTo < trace.length; this.indexedUpTo++) {
      const event = trace[this.indexedUpTo]!;
      if (event.kind !== "note") continue;
      let list = this.notesByLabel.get(event.label);
      if (list === undefined) this.notesByLabel.set(event.label, (list = []));
      list.push({ node: event.node, timeMs: event.timeMs, value: event.value as Json, traceIndex: this.indexedUpTo });
    }
    return this.notesByLabel.get(label) ?? [];
  }
}

/**
 * What π read of an execution: the notes it was handed (by trace index), and the nodes whose
 * volatile state or disk it looked at. A failure page highlights these events, and the deliveries
 * and fsyncs that built the state and disks read, so the reader sees which physical events made
 * the meaning.
 */
export interface ProjectionUse {
  readonly notes: readonly number[];
  readonly states: readonly NodeId[];
  readonly disks: readonly NodeId[];
}

/** A view that records what is read through it, for π. */
export function recordingView<Workload>(view: ExecutionView<Workload>): { readonly view: ExecutionView<Workload>; readonly use: () => ProjectionUse } {
  const recording = new RecordingView(view);
  return { view: recording, use: recording.use.bind(recording) }; // bound: under tsx a closure in a literal is renamed when made
}

/** The view π is handed: reads pass through to `inner`, and which notes, states and disks were read is kept. */
class RecordingView<Workload> implements ExecutionView<Workload> {
  readonly variant: string;
  readonly workload: Workload;
  readonly trace: ExecutionView<Workload>["trace"];
  readonly endedAtMs: number;
  private readonly notesRead = new Set<number>();
  private readonly statesRead = new Set<NodeId>();
  private readonly disksRead = new Set<NodeId>();

  constructor(private readonly inner: ExecutionView<Workload>) {
    this.variant = inner.variant;
    this.workload = inner.workload;
    this.trace = inner.trace;
    this.endedAtMs = inner.endedAtMs;
    this.state = this.stateOf.bind(this);
    this.notes = this.notesOf.bind(this);
  }

  readonly state: <State>(node: NodeId) => State;
  readonly notes: (label: string) => readonly NoteRecord[];

  get nodes(): Record<NodeId, NodeView> {
    const { statesRead, disksRead } = this;
    const nodes: Record<NodeId, NodeView> = {};
    for (const [id, node] of Object.entries(this.inner.nodes)) {
      nodes[id] = {
        up: node.up,
        get state() {
          statesRead.add(id);
          return node.state;
        },
        get disk() {
          disksRead.add(id);
          return node.disk;
        },
      };
    }
    return nodes;
  }

  private stateOf<State>(node: NodeId): State {
    const state = this.inner.state<State>(node);
    this.statesRead.add(node);
    return state;
  }

  private notesOf(label: string): readonly NoteRecord[] {
    const found = this.inner.notes(label);
    for (const note of found) this.notesRead.add(note.traceIndex);
    return found;
  }

  use(): ProjectionUse {
    return {
      notes: [...this.notesRead].sort((a, b) => a - b),
      states: [...this.statesRead].sort(byName),
      disks: [...this.disksRead].sort(byName),
    };
  }
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
