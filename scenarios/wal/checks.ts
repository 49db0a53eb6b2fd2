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
  const recovered = recoverFrom(view.nodes.store!.disk, SHAPES[view.variant]!.checksummed).values;
  return { acknowledged, state: finalValues(view), recovered: valuesAsJson(recovered) };
}

function lostWrites(view: View, state: Checkpointed): string[] {
  const messages: string[] = [];
  for (const write of view.workload.writes) {
    const acknowledgedAtMs = state.acknowledgedBefore.get(write.index);
    if (acknowledgedAtMs === undefined) continue;
    const later = view.workload.writes.some((other) => other.key === write.key && other.index > write.index && state.acknowledgedBefore.has(other.index));
    if (later) continue;
    const seen = state.values[write.key];
    const seenWrite = seen === undefined ? undefined : writeOf(view.workload, write.key, seen);
    if (seenWrite !== undefined && seenWrite.index >= write.index) continue;
    const holds = seen === undefined ? `no ${write.key}` : `${write.key} = ${seen}${seenWrite === undefined ? "" : ` (write ${seenWrite.index}, older)`}`;
    messages.push(`${state.what} lost acknowledged write ${write.index} (${write.key} = ${write.value}, acknowledged at ${acknowledgedAtMs} ms): it holds ${holds}`);
  }
  return messages;
}

export const invariants: readonly Invariant<Workload>[] = [
  {
    name: "acknowledged-writes-survive",
    description: "Every state recovered after a restart, and the final state, holds for each key its last acknowledged write or a later one.",
    check: (view) => {
      const messages = statesToCheck(view).flatMap((state) => lostWrites(view, state));
      return messages.length === 0 ? undefined : messages;
    },
  },
  {
    name: "only-written-values",
    description: "No recovered or final state holds a value that no write put under its key.",
    check: (view) => {
      const messages = statesToCheck(view).flatMap((state) =>
        Object.entries(state.values)
          .filter(([key, value]) => writeOf(view.workload, key, value) === undefined)
          .map(([key, value]) => `${state.what} holds ${key} = ${value}, which no write wrote`),
      );
      return messages.length === 0 ? undefined : messages;
    },
  },
];
