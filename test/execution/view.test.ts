// The execution view on a hand-built simulation state: what π, the invariants and `settled` read
// (the time reached, every node's up/state/disk, a node's state by name, the notes by label, read
// live as the trace grows), and the recording view π is handed: it passes every read through and
// reports which notes (by trace index, in numeric order) and which nodes' states and disks (in
// name order) were read, and nothing that was not.

import { describe, expect, test } from "vitest";
import type { TraceEvent } from "../../src/core/events.ts";
import type { NodeId } from "../../src/core/json.ts";
import type { SimulationState } from "../../src/kernel/simulation.ts";
import type { SimulatedDisk } from "../../src/world/disk.ts";
import { recordingView, viewOf } from "../../src/execution/view.ts";

/** A stand-in for a disk: only its identity matters to the view, which hands it on unread. */
const diskNamed = (name: string) => ({ name }) as unknown as SimulatedDisk;

/** Three nodes, b down; a trace whose events are settable; time settable. */
function stateOf(trace: TraceEvent[]) {
  const states: Record<NodeId, unknown> = { a: { count: 1 }, b: { count: 2 }, c: { count: 3 } };
  const disks: Record<NodeId, SimulatedDisk> = { a: diskNamed("disk a"), b: diskNamed("disk b"), c: diskNamed("disk c") };
  const simulation = {
    trace,
    nodeIds: ["c", "a", "b"],
    timeMs: 250,
    isUp: (id: NodeId) => id !== "b",
    stateOf: (id: NodeId) => states[id],
    diskOf: (id: NodeId) => disks[id]!,
  } satisfies SimulationState;
  return { simulation, states, disks };
}

const note = (timeMs: number, node: NodeId, label: string, value: number): TraceEvent => ({ kind: "note", timeMs, node, label, value });

/** Index: 0 start, 1 note x, 2 send, 3 note y, 4 note x, 5 timer. */
const TRACE: readonly TraceEvent[] = [
  { kind: "start", timeMs: 0, node: "a" },
  note(1, "a", "x", 10),
  { kind: "send", timeMs: 2, node: "a", to: "b", messageId: 1, message: "hello" },
  note(3, "b", "y", 20),
  note(4, "c", "x", 30),
  { kind: "timer", timeMs: 5, node: "c", name: "x", timerId: 1 },
];

describe("viewOf", () => {
  test("reads the time reached live", () => {
    const { simulation } = stateOf([...TRACE]);
    const view = viewOf(simulation, "v", null);
    expect(view.endedAtMs).toBe(250);
    simulation.timeMs = 400;
    expect(view.endedAtMs).toBe(400);
  });

  test("gives every node's up, state and disk, keyed by its id", () => {
    const { simulation, states, disks } = stateOf([...TRACE]);
    const view = viewOf(simulation, "v", { clients: 2 });
    expect(view.variant).toBe("v");
    expect(view.workload).toEqual({ clients: 2 });
    const nodes = view.nodes;
    expect(Object.keys(nodes).sort()).toEqual(["a", "b", "c"]);
    expect(nodes.a).toEqual({ up: true, state: { count: 1 }, disk: disks.a });
    expect(nodes.b).toEqual({ up: false, state: { count: 2 }, disk: disks.b });
    expect(nodes.c!.up).toBe(true);
    expect(nodes.c!.state).toBe(states.c);
    expect(nodes.c!.disk).toBe(disks.c);
  });

  test("a node's state by its id; an id not in the execution is a TypeError naming it", () => {
    const { simulation, states } = stateOf([...TRACE]);
    const view = viewOf(simulation, "v", null);
    expect(view.state("b")).toBe(states.b);
    expect(() => view.state("z")).toThrow(new TypeError("no node 'z' in this execution"));
  });

  test("notes by label in trace order, with node, time, value and trace index; other events are not notes", () => {
    const trace = [...TRACE];
    const { simulation } = stateOf(trace);
    const view = viewOf(simulation, "v", null);
    expect(view.notes("x")).toEqual([
      { node: "a", timeMs: 1, value: 10, traceIndex: 1 },
      { node: "c", timeMs: 4, value: 30, traceIndex: 4 },
    ]);
    expect(view.notes("y")).toEqual([{ node: "b", timeMs: 3, value: 20, traceIndex: 3 }]);
    // The timer named "x" and the send are not notes, under any label.
    expect(view.notes("hello")).toEqual([]);
    // A note recorded after the first read is seen by the next one.
    trace.push(note(6, "a", "x", 40));
    expect(view.notes("x").map((record) => record.traceIndex)).toEqual([1, 4, 6]);
  });
});

describe("recordingView", () => {
  test("passes every read through", () => {
    const { simulation, states, disks } = stateOf([...TRACE]);
    const inner = viewOf(simulation, "v", { clients: 2 });
    const { view } = recordingView(inner);
    expect(view.variant).toBe("v");
    expect(view.workload).toEqual({ clients: 2 });
    expect(view.trace).toBe(simulation.trace);
    expect(view.endedAtMs).toBe(250);
    expect(view.nodes.a).toEqual({ up: true, state: states.a, disk: disks.a });
    expect(view.nodes.b).toEqual({ up: false, state: states.b, disk: disks.b });
    expect(view.state("c")).toBe(states.c);
    expect(view.notes("y")).toEqual([{ node: "b", timeMs: 3, value: 20, traceIndex: 3 }]);
  });

  test("records nothing when only up-ness and the trace are read", () => {
    const { simulation } = stateOf([...TRACE]);
    const { view, use } = recordingView(viewOf(simulation, "v", null));
    expect([view.nodes.a!.up, view.nodes.b!.up, view.trace.length]).toEqual([true, false, 6]);
    expect(use()).toEqual({ notes: [], states: [], disks: [] });
  });

  test("records the notes handed out, by trace index in numeric order (not text order, not read order)", () => {
    const trace = [...TRACE];
    for (let index = 6; index < 12; index++) trace.push(note(index, "a", "late", index));
    const { simulation } = stateOf(trace);
    const { view, use } = recordingView(viewOf(simulation, "v", null));
    view.notes("late");
    view.notes("y");
    view.notes("absent");
    // 6..11 read first, then 3; as text, "10" and "11" would sort before "3".
    expect(use().notes).toEqual([3, 6, 7, 8, 9, 10, 11]);
  });

  test("records the states read (by name or through nodes) and the disks read, each in name order", () => {
    const { simulation } = stateOf([...TRACE]);
    const { view, use } = recordingView(viewOf(simulation, "v", null));
    view.state("c");
    void view.nodes.a!.state;
    view.state("b");
    void view.nodes.c!.disk;
    void view.nodes.a!.disk;
    void view.nodes.b!.disk;
    expect(use()).toEqual({ notes: [], states: ["a", "b", "c"], disks: ["a", "b", "c"] });
  });

  test("records a node read once, however often it is read", () => {
    const { simulation } = stateOf([...TRACE]);
    const { view, use } = recordingView(viewOf(simulation, "v", null));
    for (let round = 0; round < 3; round++) {
      view.state("a");
      void view.nodes.a!.disk;
      view.notes("x");
    }
    expect(use()).toEqual({ notes: [1, 4], states: ["a"], disks: ["a"] });
  });

  test("a state read of an unknown node throws and is not recorded", () => {
    const { simulation } = stateOf([...TRACE]);
    const { view, use } = recordingView(viewOf(simulation, "v", null));
    expect(() => view.state("z")).toThrow(TypeError);
    expect(use().states).toEqual([]);
  });

  test("state and notes work handed on alone, as the kit's history helpers take `view.notes`", () => {
    const { simulation } = stateOf([...TRACE]);
    const { view, use } = recordingView(viewOf(simulation, "v", null));
    const { state, notes } = view;
    expect(notes("x").map((record) => record.traceIndex)).toEqual([1, 4]);
    expect(state("a")).toEqual({ count: 1 });
    expect(use()).toEqual({ notes: [1, 4], states: ["a"], disks: [] });
    const { notes: plainNotes, state: plainState } = viewOf(simulation, "v", null);
    expect(plainNotes("y").map((record) => record.value)).toEqual([20]);
    expect(plainState("c")).toEqual({ count: 3 });
  });
});
