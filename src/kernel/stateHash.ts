// Canonical hashing of arbitrary in-memory values (node states are plain JS, not JSON): what the
// exhaustive explorer uses to recognise a global state it has already explored. Sets and Maps are
// hashed in insertion order (a handler may iterate them, so that order is part of the state);
// object keys are sorted, as in the logical trace's canonical form. Off the hot path.

import { Hasher } from "../trace/hash.ts";

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
