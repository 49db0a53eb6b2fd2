// The execution view: how π, the invariants and `settled` see a simulation. It reads the engine's
// state live, and indexes notes by label as they are recorded.

import type { ExecutionView, Json, NodeId, NodeView, NoteRecord } from "../scenario.ts";
import type { Simulation } from "../kernel/simulation.ts";

export function viewOf<Workload>(simulation: Simulation, variant: string, workload: Workload): ExecutionView<Workload> {
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
