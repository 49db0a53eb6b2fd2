// π and the invariants of the wal scenario. They read the store's "acknowledged" notes (one per
// write, at its first acknowledgement), its "recovered" notes (the state each restart rebuilt
// from disk), and its final state.

import type { ExecutionView, Invariant, Json } from "../../src/index.ts";
import { recoverFrom, SHAPES, valuesAsJson, type StoreState } from "./store.ts";
import { writeOf, type Workload } from "./model.ts";

type View = ExecutionView<Workload>;
type Values = { readonly [key: string]: number };

/** A state to check: one recovered after a restart, or the final one; with what was acked before. */
interface Checkpointed {
  readonly what: string;
  readonly values: Values;
  /** Write index → time (ms) of its acknowledgement, for acks before this state was taken. */
  readonly acknowledgedBefore: ReadonlyMap<number, number>;
}

function acknowledgements(view: View, beforeTraceIndex: number): Map<number, number> {
  const acknowledged = new Map<number, number>();
  for (const note of view.notes("acknowledged")) {
    if (note.traceIndex < beforeTraceIndex && !acknowledged.has(note.value as number)) acknowledged.set(note.value as number, note.timeMs);
  }
  return acknowledged;
}

function finalValues(view: View): Values {
  return valuesAsJson(view.state<StoreState>("store").values);
}

/** Every recovered state, then the final state. */
export function statesToCheck(view: View): Checkpointed[] {
  const states: Checkpointed[] = view.notes("recovered").map((note) => ({
    what: `the state recovered at ${note.timeMs} ms`,
    values: note.value as Values,
    acknowledgedBefore: acknowledgements(view, note.traceIndex),
  }));
  states.push({ what: "the final state", values: finalValues(view), acknowledgedBefore: acknowledgements(view, view.trace.length) });
  return states;
}

/**
 * π: the acknowledged writes, in order; the final state; and the state a restart at the end would
 * recover from the store's disk.
 */
export function project(view: View): Json {
  const acknowledged = [...acknowledgements(view, view.trace.length).keys()].sort((left, right) => left - right);
  const recovered = recoverFrom(view.nodes.store!.disk, SHAPES[view.variant]!.reading).values;
  return { acknowledged, state: finalValues(view), recovered: valuesAsJson(recovered) };
}

/** What is wrong with one state: a finding per write lost or value invented, keyed by what it is about. */
type Findings = Map<string, string>;

function lostWrites(view: View, state: Checkpointed): Findings {
  const findings: Findings = new Map();
  for (const write of view.workload.writes) {
    const acknowledgedAtMs = state.acknowledgedBefore.get(write.index);
    if (acknowledgedAtMs === undefined) continue;
    const later = view.workload.writes.some((other) => other.key === write.key && other.index > write.index && state.acknowledgedBefore.has(other.index));
    if (later) continue;
    const seen = state.values[write.key];
    const seenWrite = seen === undefined ? undefined : writeOf(view.workload, write.key, seen);
    if (seenWrite !== undefined && seenWrite.index >= write.index) continue;
    const holds = seen === undefined ? `no ${write.key}` : `${write.key} = ${seen}${seenWrite === undefined ? "" : ` (write ${seenWrite.index}, older)`}`;
    findings.set(`write ${write.index} ${holds}`, `${state.what} lost acknowledged write ${write.index} (${write.key} = ${write.value}, acknowledged at ${acknowledgedAtMs} ms): it holds ${holds}`);
  }
  return findings;
}

function inventedValues(view: View, state: Checkpointed): Findings {
  const findings: Findings = new Map();
  for (const [key, value] of Object.entries(state.values)) {
    if (writeOf(view.workload, key, value) === undefined) findings.set(`${key} = ${value}`, `${state.what} holds ${key} = ${value}, which no write wrote`);
  }
  return findings;
}

/** Each finding once, from the first state that shows it, with how many later states repeat it. */
function report(view: View, findingsOf: (view: View, state: Checkpointed) => Findings): string[] | undefined {
  const first = new Map<string, { message: string; repeats: number }>();
  for (const state of statesToCheck(view)) {
    for (const [identity, message] of findingsOf(view, state)) {
      const seen = first.get(identity);
      if (seen === undefined) first.set(identity, { message, repeats: 0 });
      else seen.repeats++;
    }
  }
  const messages = [...first.values()].map(({ message, repeats }) => (repeats === 0 ? message : `${message} (and in ${repeats} later state${repeats === 1 ? "" : "s"})`));
  return messages.length === 0 ? undefined : messages;
}

export const invariants: readonly Invariant<Workload>[] = [
  {
    name: "acknowledged-writes-survive",
    description: "Every state recovered after a restart, and the final state, holds for each key its last acknowledged write or a later one.",
    check: (view) => report(view, lostWrites),
  },
  {
    name: "only-written-values",
    description: "No recovered or final state holds a value that no write put under its key.",
    check: (view) => report(view, inventedValues),
  },
];
