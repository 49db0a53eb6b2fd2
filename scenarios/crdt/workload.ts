// The CRDT scenario's logical input and the logical value each data type must converge to.
//
// One workload serves every type: a list of updates, each issued by one replica at a virtual time,
// `add` or `remove` of a small element with an amount. Each type reads it by its own rule:
//   counters   add +amount; remove −amount (PN) or nothing (G-Counter: it only grows)
//   sets       add/remove the element (G-Set ignores removes)
//   register   every update is a write of its element (lww-register: written in a chain, with
//              hybrid stamps; lww-coarse: unchained and concurrent, stamped by a coarse clock)
// A replica removes only an element it added itself earlier, so a remove never depends on what it
// happened to receive from other replicas (which the schedule decides): see header of index.ts.

import type { Json, Random } from "../../src/index.ts";

export const REPLICAS = ["r0", "r1", "r2"] as const;
export const ELEMENT_COUNT = 3;
export const UPDATE_COUNT = 12;
/** Updates fall due within [0, UPDATE_SPAN_MS): inside the named profiles' fault window. */
export const UPDATE_SPAN_MS = 900;

export type Action = "add" | "remove";

export interface Update {
  readonly [key: string]: Json;
  readonly index: number;
  readonly replica: string;
  readonly atMs: number;
  readonly action: Action;
  readonly element: number;
  readonly amount: number;
}

export interface CrdtWorkload {
  readonly [key: string]: Json;
  readonly updates: readonly Update[];
}

/** Draws the logical input from the workload stream only. */
export function drawWorkload(random: Random): CrdtWorkload {
  const times = Array.from({ length: UPDATE_COUNT }, () => random.below(UPDATE_SPAN_MS)).sort((a, b) => a - b);
  const ownAdded = new Map<string, Set<number>>(REPLICAS.map((replica) => [replica, new Set<number>()]));
  const updates = times.map((atMs, index): Update => {
    const replica = random.pick(REPLICAS);
    const added = ownAdded.get(replica)!;
    const amount = random.between(1, 5);
    if (added.size > 0 && random.chance(0.4)) {
      const element = random.pick([...added].sort((a, b) => a - b));
      added.delete(element);
      return { index, replica, atMs, action: "remove", element, amount };
    }
    const element = random.below(ELEMENT_COUNT);
    added.add(element);
    return { index, replica, atMs, action: "add", element, amount };
  });
  return { updates };
}

export type TypeName = "g-counter" | "pn-counter" | "g-set" | "2p-set" | "or-set" | "lww-register" | "lww-coarse";

/**
 * The coarse clock of the `lww-coarse` register: its writes are stamped with the time they fall due
 * (the writer's reading), rounded down to this granularity. Writes of different replicas in one
 * period carry equal stamps, and only the tie-break (by replica) orders them.
 */
export const COARSE_CLOCK_MS = 300;

/** A coarse-clock write's stamp: fixed by the workload, so the winner is too. */
export function coarseStampMs(update: Update): number {
  return Math.floor(update.atMs / COARSE_CLOCK_MS) * COARSE_CLOCK_MS;
}

/** The updates of the workload that a type acts on (G-Counter and G-Set ignore removes). */
export function updatesFor(type: TypeName, updates: readonly Update[]): Update[] {
  const growOnly = type === "g-counter" || type === "g-set";
  return updates.filter((update) => !growOnly || update.action === "add");
}

/** The OR-Set tag of an add: its replica and index in the workload, the same in every execution. */
export function tagOf(update: Update): string {
  return `${update.replica}/${update.index}`;
}

export function tagOwner(tag: string): string {
  return tag.slice(0, tag.indexOf("/"));
}

/** The value every replica must converge to, by the type's own rule, from the logical input. */
export function logicalValue(type: TypeName, updates: readonly Update[]): Json {
  const relevant = updatesFor(type, updates);
  switch (type) {
    case "g-counter":
      return relevant.reduce((total, update) => total + update.amount, 0);
    case "pn-counter":
      return relevant.reduce((total, update) => total + (update.action === "add" ? update.amount : -update.amount), 0);
    case "g-set":
      return sortedElements(relevant.map((update) => update.element));
    case "2p-set": {
      const removed = new Set(relevant.filter((update) => update.action === "remove").map((update) => update.element));
      return sortedElements(relevant.filter((update) => update.action === "add" && !removed.has(update.element)).map((update) => update.element));
    }
    case "or-set": {
      // Present when some replica's last update of the element is an add: a remove cancels only
      // the adds it observed, which are its own replica's earlier adds.
      const last = new Map<string, Action>();
      for (const update of relevant) last.set(`${update.replica}/${update.element}`, update.action);
      const present = relevant.filter((update) => last.get(`${update.replica}/${update.element}`) === "add");
      return sortedElements(present.map((update) => update.element));
    }
    case "lww-register": {
      const winner = relevant[relevant.length - 1];
      return winner === undefined ? null : { element: winner.element, index: winner.index };
    }
    case "lww-coarse": {
      // The greatest (coarse stamp, replica, index): equal stamps are broken by replica.
      const later = (a: Update, b: Update) => coarseStampMs(a) - coarseStampMs(b) || (a.replica < b.replica ? -1 : a.replica > b.replica ? 1 : 0) || a.index - b.index;
      const winner = relevant.reduce<Update | undefined>((best, update) => (best === undefined || later(update, best) > 0 ? update : best), undefined);
      return winner === undefined ? null : { element: winner.element, index: winner.index };
    }
  }
}

export function sortedElements(elements: readonly number[]): number[] {
  return [...new Set(elements)].sort((a, b) => a - b);
}
