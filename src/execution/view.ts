// The execution view: how π, the invariants and `settled` see a simulation. It reads the engine's
// state live, and indexes notes by label as they are recorded.

import type { Json, NodeId } from "../core/json.ts";
import type { ExecutionView, NodeView, NoteRecord } from "../core/scenario.ts";
import type { SimulationState } from "../kernel/simulation.ts";

export function viewOf<Workload>(simulation: SimulationState, variant: string, workload: Workload): ExecutionView<Workload> {
  const notesByLabel = new Map<string, NoteRecord[]>();
  let indexedUpTo = 0;
  const trace = simulation.trace;
  return {
    variant,
    workload,
    trace,
    get endedAtMs() {
      return simulation.timeMs;
    },
    get nodes() {
      const nodes: Record<NodeId, NodeView> = {};
      for (const id of simulation.nodeIds) {
        nodes[id] = { up: simulation.isUp(id), state: simulation.stateOf(id), disk: simulation.diskOf(id) };
      }
      return nodes;
    },
    state<State>(node: NodeId): State {
      if (!simulation.nodeIds.includes(node)) throw new TypeError(`no node '${node}' in this execution`);
      return simulation.stateOf(node) as State;
    },
    notes(label: string): readonly NoteRecord[] {
      for (; indexedUpTo < trace.length; indexedUpTo++) {
        const event = trace[indexedUpTo]!;
        if (event.kind !== "note") continue;
        let list = notesByLabel.get(event.label);
        if (list === undefined) notesByLabel.set(event.label, (list = []));
        list.push({ node: event.node, timeMs: event.timeMs, value: event.value as Json, traceIndex: indexedUpTo });
      }
      return notesByLabel.get(label) ?? [];
    },
  };
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
  const notes = new Set<number>();
  const states = new Set<NodeId>();
  const disks = new Set<NodeId>();
  const recording: ExecutionView<Workload> = {
    variant: view.variant,
    workload: view.workload,
    trace: view.trace,
    endedAtMs: view.endedAtMs,
    get nodes() {
      const nodes: Record<NodeId, NodeView> = {};
      for (const [id, node] of Object.entries(view.nodes)) {
        nodes[id] = {
          up: node.up,
          get state() {
            states.add(id);
            return node.state;
          },
          get disk() {
            disks.add(id);
            return node.disk;
          },
        };
      }
      return nodes;
    },
    state<State>(node: NodeId): State {
      const state = view.state<State>(node);
      states.add(node);
      return state;
    },
    notes(label: string): readonly NoteRecord[] {
      const found = view.notes(label);
      for (const note of found) notes.add(note.traceIndex);
      return found;
    },
  };
  const sorted = <T>(set: Set<T>, order: (a: T, b: T) => number) => [...set].sort(order);
  return {
    view: recording,
    use: () => ({
      notes: sorted(notes, (a, b) => a - b),
      states: sorted(states, (a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      disks: sorted(disks, (a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    }),
  };
}
