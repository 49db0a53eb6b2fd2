// Canonical hashing of a simulation's global state: what the exhaustive explorer uses to recognise
// a state it has already explored. Node states are plain JS, not JSON: Sets and Maps are hashed in
// insertion order (a handler may iterate them, so that order is part of the state); object keys
// are sorted, as in the logical trace's canonical form. In-flight messages are a multiset: no
// message ids, no insertion order. Off the hot path.

import type { TraceEvent } from "../core/events.ts";
import { Hasher } from "../core/hash.ts";
import type { NodeId } from "../core/json.ts";
import { before } from "./heap.ts";
import type { Delivery, NodeRuntime, Pending } from "./runtime.ts";

type OtherEvent = Exclude<Pending, Delivery>;

export interface GlobalState {
  readonly timeMs: number;
  readonly healed: boolean;
  readonly partitioned: boolean;
  /** Each node's side of the partition. */
  readonly groupOf: (node: NodeId) => number;
  readonly nodes: readonly NodeRuntime[];
  /** Pending events but deliveries, in any order. */
  readonly others: readonly OtherEvent[];
  /** In-flight deliveries, in any order. */
  readonly deliveries: readonly Delivery[];
  readonly trace: readonly TraceEvent[];
}

export function hashGlobalState(global: GlobalState): string {
  const hasher = new Hasher().number(global.timeMs).integer(global.healed ? 1 : 0).integer(global.partitioned ? 1 : 0);
  for (const node of global.nodes) {
    hasher.string(node.id).integer(node.up ? 1 : 0).integer(node.incarnation).number(node.skewMs).integer(global.groupOf(node.id));
    hasher.integer(node.randomDraws);
    hashAnyValue(hasher, node.state);
    hashAnyValue(hasher, [...node.cancelledTimers].sort((a, b) => a - b));
    for (const file of node.disk.files()) hasher.string(file).string(node.disk.read(file)!);
    hashAnyValue(hasher, node.disk.durableFiles());
  }
  const others = [...global.others].sort((a, b) => (before(a, b) ? -1 : 1));
  for (const event of others) hashPending(hasher, event);
  // Where a delivery falls among the other events decides whether it is ready before them.
  const deliveries = global.deliveries.map((delivery) => {
    const othersBefore = others.filter((event) => before(event, delivery)).length;
    const one = new Hasher().number(delivery.timeMs).integer(othersBefore).string(delivery.node.id).string(delivery.from);
    return one.value(delivery.message).digest();
  });
  hashAnyValue(hasher, deliveries.sort());
  for (const event of global.trace) if (event.kind === "note") hasher.string(event.node).string(event.label).value(event.value);
  return hasher.digest();
}

/** A pending non-delivery event, without its seq (its place in the sorted list stands for it). */
function hashPending(hasher: Hasher, event: OtherEvent): void {
  hasher.string(event.kind).number(event.timeMs);
  switch (event.kind) {
    case "start":
      return void hasher.string(event.node.id);
    case "timer":
      return void hasher.string(event.node.id).string(event.name).integer(event.timerId).integer(event.incarnation);
    case "restart":
      return void hasher.string(event.node.id).integer(event.incarnation);
    case "world":
      return void hasher.string(event.label);
  }
}

const TAG_UNDEFINED = 11, TAG_BIGINT = 12, TAG_SET = 13, TAG_MAP = 14, TAG_FUNCTION = 15, TAG_CYCLE = 16, TAG_CLASS = 17;

/** Folds any value into `hasher`: equal-looking states give equal hashes. */
export function hashAnyValue(hasher: Hasher, value: unknown, visiting: Set<object> = new Set()): Hasher {
  switch (typeof value) {
    case "undefined":
      return hasher.integer(TAG_UNDEFINED);
    case "bigint":
      return hasher.integer(TAG_BIGINT).string(value.toString());
    case "function":
      return hasher.integer(TAG_FUNCTION).string(value.name);
    case "symbol":
      return hasher.string(String(value));
    case "object":
      break;
    default:
      return hasher.value(value as string | number | boolean);
  }
  if (value === null) return hasher.value(null);
  if (visiting.has(value)) return hasher.integer(TAG_CYCLE);
  visiting.add(value);
  if (Array.isArray(value)) {
    hasher.value([]).integer(value.length);
    for (const item of value) hashAnyValue(hasher, item, visiting);
  } else if (value instanceof Set) {
    hasher.integer(TAG_SET).integer(value.size);
    for (const item of value) hashAnyValue(hasher, item, visiting);
  } else if (value instanceof Map) {
    hasher.integer(TAG_MAP).integer(value.size);
    for (const [key, item] of value) hashAnyValue(hashAnyValue(hasher, key, visiting), item, visiting);
  } else {
    const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
    if (prototype !== null && prototype !== Object.prototype) hasher.integer(TAG_CLASS).string(prototype.constructor?.name ?? "");
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    hasher.value({}).integer(keys.length);
    for (const key of keys) hashAnyValue(hasher.string(key), record[key], visiting);
  }
  visiting.delete(value);
  return hasher;
}
