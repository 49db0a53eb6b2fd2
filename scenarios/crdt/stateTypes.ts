// State-based CRDTs as pure functions: a state is plain JSON (it is persisted and gossiped as is),
// `update` applies a replica's own update, `merge` is the join of a join-semilattice (associative,
// commutative, idempotent: test/crdt-laws.test.ts checks it with fast-check), `value` reads it.
// The broken merges of the diverging variants live here too, one function each.

import type { Json } from "../../src/index.ts";
import { coarseStampMs, sortedElements, tagOf, tagOwner, type TypeName, type Update } from "./workload.ts";

/** What a replica knows when it applies its own update. */
export interface UpdateContext {
  readonly replica: string;
  /** The register's timestamp for this write (hybrid: see lww in index.ts's header). */
  readonly stampMs: number;
}

export interface StateType<State extends Json> {
  readonly name: TypeName;
  initial(): State;
  update(state: State, update: Update, context: UpdateContext): State;
  merge(local: State, incoming: State): State;
  value(state: State): Json;
  /** Registers only: the stamp of a write, when it is not the replica's hybrid clock (lww-coarse: the coarse clock). */
  stampOf?(update: Update): number;
}

export type Counter = Readonly<Record<string, number>>;
export interface PnCounter { readonly [key: string]: Json; readonly p: Counter; readonly n: Counter }
export interface TwoPhaseSet { readonly [key: string]: Json; readonly added: readonly number[]; readonly removed: readonly number[] }
export interface ObservedRemoveSet {
  readonly [key: string]: Json;
  /** tag → element, for every add ever seen. */
  readonly adds: Readonly<Record<string, number>>;
  /** Tags removed: a removed tag never comes back. */
  readonly removed: readonly string[];
}
export type LwwWrite = { readonly [key: string]: Json; readonly stampMs: number; readonly replica: string; readonly index: number; readonly element: number };
export type LwwRegister = LwwWrite | null;

export function mergeCounterByMax(local: Counter, incoming: Counter): Counter {
  const merged: Record<string, number> = { ...local };
  for (const [replica, count] of Object.entries(incoming)) merged[replica] = Math.max(merged[replica] ?? 0, count);
  return merged;
}

/** BROKEN (counter-merge-by-sum): adds the entries, so a state merged twice counts twice. */
export function mergeCounterBySum(local: Counter, incoming: Counter): Counter {
  const merged: Record<string, number> = { ...local };
  for (const [replica, count] of Object.entries(incoming)) merged[replica] = (merged[replica] ?? 0) + count;
  return merged;
}

function counterTotal(counter: Counter): number {
  return Object.values(counter).reduce((total, count) => total + count, 0);
}

function increment(counter: Counter, replica: string, amount: number): Counter {
  return { ...counter, [replica]: (counter[replica] ?? 0) + amount };
}

export function gCounter(mergeCounter = mergeCounterByMax): StateType<Counter> {
  return {
    name: "g-counter",
    initial: () => ({}),
    update: (state, update, { replica }) => increment(state, replica, update.amount),
    merge: mergeCounter,
    value: counterTotal,
  };
}

export const pnCounter: StateType<PnCounter> = {
  name: "pn-counter",
  initial: () => ({ p: {}, n: {} }),
  update: (state, update, { replica }) =>
    update.action === "add" ? { ...state, p: increment(state.p, replica, update.amount) } : { ...state, n: increment(state.n, replica, update.amount) },
  merge: (local, incoming) => ({ p: mergeCounterByMax(local.p, incoming.p), n: mergeCounterByMax(local.n, incoming.n) }),
  value: (state) => counterTotal(state.p) - counterTotal(state.n),
};

export const gSet: StateType<readonly number[]> = {
  name: "g-set",
  initial: () => [],
  update: (state, update) => sortedElements([...state, update.element]),
  merge: (local, incoming) => sortedElements([...local, ...incoming]),
  value: (state) => [...state],
};

export const twoPhaseSet: StateType<TwoPhaseSet> = {
  name: "2p-set",
  initial: () => ({ added: [], removed: [] }),
  update: (state, update) =>
    update.action === "add"
      ? { ...state, added: sortedElements([...state.added, update.element]) }
      : { ...state, removed: sortedElements([...state.removed, update.element]) },
  merge: (local, incoming) => ({
    added: sortedElements([...local.added, ...incoming.added]),
    removed: sortedElements([...local.removed, ...incoming.removed]),
  }),
  value: (state) => state.added.filter((element) => !state.removed.includes(element)),
};

/**
 * A remove's observed context: the tags of `element` that `replica` added itself and still holds.
 * (Tags a replica received from others depend on the schedule, so the workload never removes them.)
 */
export function ownTags(adds: Readonly<Record<string, number>>, element: number, replica: string): string[] {
  return Object.keys(adds).filter((tag) => adds[tag] === element && tagOwner(tag) === replica).sort();
}

export function orSetValue(state: ObservedRemoveSet): number[] {
  return sortedElements(Object.entries(state.adds).filter(([tag]) => !state.removed.includes(tag)).map(([, element]) => element));
}

export const orSet: StateType<ObservedRemoveSet> = {
  name: "or-set",
  initial: () => ({ adds: {}, removed: [] }),
  update: (state, update, { replica }) =>
    update.action === "add"
      ? { ...state, adds: { ...state.adds, [tagOf(update)]: update.element } }
      : { ...state, removed: sortedTags([...state.removed, ...ownTags(state.adds, update.element, replica)]) },
  merge: (local, incoming) => ({ adds: { ...local.adds, ...incoming.adds }, removed: sortedTags([...local.removed, ...incoming.removed]) }),
  value: orSetValue,
};

export function sortedTags(tags: readonly string[]): string[] {
  return [...new Set(tags)].sort();
}

/** A total order on writes: stamp, then replica, then the write's identity (ties never lose data). */
export function compareWrites(a: LwwWrite, b: LwwWrite): number {
  return a.stampMs - b.stampMs || compareText(a.replica, b.replica) || a.index - b.index || a.element - b.element;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function mergeLwwByStamp(local: LwwRegister, incoming: LwwRegister): LwwRegister {
  if (local === null) return incoming;
  if (incoming === null) return local;
  return compareWrites(incoming, local) > 0 ? incoming : local;
}

/** BROKEN (lww-arrival-order): the write that arrived last wins, whatever its stamp. */
export function mergeLwwByArrival(local: LwwRegister, incoming: LwwRegister): LwwRegister {
  return incoming ?? local;
}

/** BROKEN (lww-tie-by-arrival): equal stamps are broken by arrival (the incoming write wins), not by replica. */
export function mergeLwwTieByArrival(local: LwwRegister, incoming: LwwRegister): LwwRegister {
  if (local === null) return incoming;
  if (incoming === null) return local;
  if (incoming.stampMs === local.stampMs) return incoming;
  return incoming.stampMs > local.stampMs ? incoming : local;
}

/** LWW register on the coarse clock: concurrent writes, stamps from the time they fall due, rounded (workload.ts). */
export function lwwCoarseRegister(mergeRegister = mergeLwwByStamp): StateType<LwwRegister> {
  return { ...lwwRegister(mergeRegister), name: "lww-coarse", stampOf: coarseStampMs };
}

export function lwwRegister(mergeRegister = mergeLwwByStamp): StateType<LwwRegister> {
  return {
    name: "lww-register",
    initial: () => null,
    update: (state, update, { replica, stampMs }) =>
      mergeRegister(state, { stampMs, replica, index: update.index, element: update.element }),
    merge: mergeRegister,
    value: (state) => (state === null ? null : { element: state.element, index: state.index }),
  };
}
