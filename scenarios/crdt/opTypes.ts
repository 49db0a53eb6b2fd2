// Operation-based CRDTs as pure functions. A replica turns its own update into an operation
// (`prepare`, at the source, where it may read local state), and every replica applies every
// operation (`effect`). Operations of a correct type commute; the transport supplies the rest:
// retransmission until acknowledged, and deduplication (`deliver`) because a counter's increment
// is not idempotent. test/crdt-laws.test.ts checks that deliver commutes and is idempotent.

import type { Json } from "../../src/index.ts";
import { ownTags, orSetValue, sortedTags, type ObservedRemoveSet } from "./stateTypes.ts";
import { tagOf, type TypeName, type Update } from "./workload.ts";

export type Operation =
  | { readonly [key: string]: Json; readonly kind: "increment"; readonly amount: number }
  | { readonly [key: string]: Json; readonly kind: "add"; readonly element: number; readonly tag: string }
  | { readonly [key: string]: Json; readonly kind: "remove"; readonly element: number; readonly tags: readonly string[] };

/** An operation as the transport carries it: (origin, seq) names it for acknowledgement and dedup. */
export interface OperationMessage {
  readonly [key: string]: Json;
  readonly origin: string;
  readonly seq: number;
  readonly operation: Operation;
}

export interface OpState<Value extends Json> {
  readonly [key: string]: Json;
  readonly value: Value;
  /** `origin/seq` of every operation applied, sorted: the deduplication record. */
  readonly delivered: readonly string[];
}

export interface OpType<Value extends Json> {
  readonly name: TypeName;
  initial(): Value;
  prepare(value: Value, update: Update, replica: string): Operation;
  effect(value: Value, operation: Operation): Value;
  read(value: Value): Json;
}

export const opCounter = (name: "g-counter" | "pn-counter"): OpType<number> => ({
  name,
  initial: () => 0,
  prepare: (_value, update) => ({ kind: "increment", amount: update.action === "add" ? update.amount : -update.amount }),
  effect: (value, operation) => (operation.kind === "increment" ? value + operation.amount : value),
  read: (value) => value,
});

/** Removes carry the tags they observed, so a concurrent add (a tag not yet seen) survives. */
export function orSetEffect(value: ObservedRemoveSet, operation: Operation): ObservedRemoveSet {
  if (operation.kind === "add") {
    if (value.removed.includes(operation.tag)) return value;
    return { ...value, adds: { ...value.adds, [operation.tag]: operation.element } };
  }
  if (operation.kind !== "remove") return value;
  const adds = { ...value.adds };
  for (const tag of operation.tags) delete adds[tag];
  return { adds, removed: sortedTags([...value.removed, ...operation.tags]) };
}

/** BROKEN (or-set-as-2p-set): a remove names the element, not tags, and cancels whatever copies the receiver holds. */
export function orSetEffectByElement(value: ObservedRemoveSet, operation: Operation): ObservedRemoveSet {
  if (operation.kind !== "remove") return orSetEffect(value, operation);
  const adds = { ...value.adds };
  for (const tag of Object.keys(adds)) if (adds[tag] === operation.element) delete adds[tag];
  return { ...value, adds };
}

export const opOrSet = (effect = orSetEffect): OpType<ObservedRemoveSet> => ({
  name: "or-set",
  initial: () => ({ adds: {}, removed: [] }),
  prepare: (value, update, replica): Operation => {
    if (update.action === "add") return { kind: "add", element: update.element, tag: tagOf(update) };
    return { kind: "remove", element: update.element, tags: ownTags(value.adds, update.element, replica) };
  },
  effect,
  read: orSetValue,
});

export function messageKey(message: OperationMessage): string {
  return `${message.origin}/${message.seq}`;
}

/** Applies an operation exactly once: a message already delivered leaves the state as it is. */
export function deliverOnce<Value extends Json>(type: OpType<Value>, state: OpState<Value>, message: OperationMessage): OpState<Value> {
  const key = messageKey(message);
  if (state.delivered.includes(key)) return state;
  return { value: type.effect(state.value, message.operation), delivered: sortedTags([...state.delivered, key]) };
}

/** BROKEN (op-counter-no-dedup): applies every delivery, so a duplicate or a retransmission counts again. */
export function deliverEvery<Value extends Json>(type: OpType<Value>, state: OpState<Value>, message: OperationMessage): OpState<Value> {
  return { value: type.effect(state.value, message.operation), delivered: sortedTags([...state.delivered, messageKey(message)]) };
}
