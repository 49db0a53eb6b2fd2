// π and the invariants of the causality scenario. The events are the processes' `event` notes in
// the physical trace; happens-before is computed from the trace alone, never from the clocks: each
// process's events in trace order, and each broadcast before every delivery of it (the notes name
// the message, `from#seq`), closed transitively. The clocks are then judged against it.

import type { ExecutionView, Invariant, Json } from "../../src/index.ts";
import { EVENT_NOTE, type EventNote, type ProcessState, type Vector } from "./process.ts";

export interface Workload {
  /** The processes' node ids. */
  readonly processes: readonly string[];
  /** How many messages each process broadcasts. */
  readonly broadcasts: number;
}

type View = ExecutionView<Workload>;

export type Event = EventNote & {
  readonly node: string;
  readonly name: string;
  readonly traceIndex: number;
};

/** Every event, in trace order, named `node:kind from#seq`. */
export function eventsOf(view: Pick<View, "trace">): Event[] {
  const events: Event[] = [];
  view.trace.forEach((event, traceIndex) => {
    if (event.kind !== "note" || event.label !== EVENT_NOTE) return;
    const note = event.value as unknown as EventNote;
    events.push({ ...note, node: event.node, traceIndex, name: `${event.node}:${note.kind === "broadcast" ? "send" : "deliver"} ${note.from}#${note.seq}` });
  });
  return events;
}

/** happensBefore[a][b]: event a happens before event b (program order and send → deliver, transitively). */
export function happensBefore(events: readonly Event[]): boolean[][] {
  const before = events.map(() => events.map(() => false));
  const sendOf = new Map<string, number>();
  const lastOn = new Map<string, number>();
  events.forEach((event, index) => {
    const previous = lastOn.get(event.node);
    if (previous !== undefined) before[previous]![index] = true;
    lastOn.set(event.node, index);
    const id = `${event.from}#${event.seq}`;
    if (event.kind === "broadcast") sendOf.set(id, index);
    else if (sendOf.has(id)) before[sendOf.get(id)!]![index] = true;
  });
  // Edges only go forward in trace order, so one pass in reverse closes them.
  for (let a = events.length - 1; a >= 0; a--) {
    for (let b = a + 1; b < events.length; b++) {
      if (!before[a]![b]) continue;
      for (let c = b + 1; c < events.length; c++) if (before[b]![c]) before[a]![c] = true;
    }
  }
  return before;
}

/** Whether vector `one` ≤ `other` entrywise and differs: strictly before. */
function vectorBefore(one: Vector, other: Vector): boolean {
  return one.every((value, index) => value <= other[index]!) && one.some((value, index) => value < other[index]!);
}

const describeVector = (vector: Vector): string => `[${vector.join(",")}]`;

/** π: for each process, the messages it delivered, sorted (reliable send delivers every one). */
export function project(view: View): Json {
  return Object.fromEntries(view.workload.processes.map((id) => [id, [...view.state<ProcessState>(id).durable.deliveredIds].sort()]));
}

/** How many violations an invariant lists at most. */
const QUOTED_MAX = 3;

type Breach = { readonly message: string; readonly traceIndex: number };

/** The invariants' common step: the events, happens-before over them, and the first breaches `judge` finds. */
function judged(view: View, judge: (events: readonly Event[], before: boolean[][]) => Breach[]): Breach[] | undefined {
  const events = eventsOf(view);
  const breaches = judge(events, happensBefore(events));
  return breaches.length === 0 ? undefined : breaches.slice(0, QUOTED_MAX);
}

export const invariants: readonly Invariant<Workload>[] = [
  {
    name: "lamport-order",
    description: "Happens-before implies Lamport timestamp order: a → b means L(a) < L(b).",
    check: (view) =>
      judged(view, (events, before) => events.flatMap((a, i) => events.flatMap((b, j) =>
        before[i]![j] && a.lamport >= b.lamport ? [{ message: `lamport order broken: ${a.name} happens before ${b.name} but stamps ${a.lamport} ≥ ${b.lamport}`, traceIndex: b.traceIndex }] : []))),
  },
  {
    name: "vector-exact",
    description: "Vector clocks detect concurrency exactly: a → b iff V(a) < V(b), so a and b are concurrent iff their vectors are incomparable.",
    check: (view) =>
      judged(view, (events, before) => events.flatMap((a, i) => events.flatMap((b, j) => {
        if (i === j || before[i]![j] === vectorBefore(a.clock, b.clock)) return [];
        const truth = before[i]![j] ? "happens before" : before[j]![i] ? "happens after" : "is concurrent with";
        return [{ message: `vector clock wrong: ${a.name} ${truth} ${b.name}, but ${describeVector(a.clock)} ${vectorBefore(a.clock, b.clock) ? "<" : "is not <"} ${describeVector(b.clock)}`, traceIndex: Math.max(a.traceIndex, b.traceIndex) }];
      }))),
  },
  {
    name: "causal-delivery",
    description: "Every process delivers a message only after every message whose broadcast happens before its broadcast.",
    check: (view) =>
      judged(view, (events, before) => {
        const sendIndex = new Map<string, number>();
        events.forEach((event, index) => event.kind === "broadcast" && sendIndex.set(`${event.from}#${event.seq}`, index));
        const breaches: Breach[] = [];
        for (const process of view.workload.processes) {
          const delivered = events.filter((event) => event.node === process && event.kind === "deliver");
          delivered.forEach((later, at) => {
            for (const earlier of delivered.slice(at + 1)) {
              const [x, y] = [sendIndex.get(`${earlier.from}#${earlier.seq}`), sendIndex.get(`${later.from}#${later.seq}`)];
              if (x !== undefined && y !== undefined && before[x]![y]) {
                breaches.push({ message: `causal order broken: ${process} delivered ${later.from}#${later.seq} before ${earlier.from}#${earlier.seq}, whose broadcast happens before it`, traceIndex: earlier.traceIndex });
              }
            }
          });
        }
        return breaches;
      }),
  },
];
