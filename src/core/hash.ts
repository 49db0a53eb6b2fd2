// Canonical hashing of traces. A Hasher folds numbers, strings and JSON values into a 64-bit
// digest (two 32-bit lanes) without building strings; object keys are visited in sorted order,
// so equal values hash equally whatever order their keys were written in.

import type { Json } from "./json.ts";

const TAG_NULL = 1, TAG_FALSE = 2, TAG_TRUE = 3, TAG_NUMBER = 4, TAG_STRING = 5, TAG_ARRAY = 6, TAG_OBJECT = 7;

export class Hasher {
  private high = 0x811c9dc5;
  private low = 0x1b873593;

  integer(value: number): this {
    this.high = Math.imul(this.high ^ (value | 0), 0x01000193);
    this.low = Math.imul(this.low ^ (value | 0), 0x5bd1e995);
    this.low ^= this.low >>> 15;
    return this;
  }

  number(value: number): this {
    if (Number.isInteger(value) && Math.abs(value) < 0x7fffffff) return this.integer(TAG_NUMBER).integer(value);
    return this.integer(TAG_NUMBER + 100).string(String(value));
  }

  string(value: string): this {
    this.integer(value.length);
    // integer() per character, with the lanes in locals: the same digest, a third less time (strings are most of what a trace hashes).
    let high = this.high;
    let low = this.low;
    for (let index = 0; index < value.length; index++) {
      const code = value.charCodeAt(index);
      high = Math.imul(high ^ code, 0x01000193);
      low = Math.imul(low ^ code, 0x5bd1e995);
      low ^= low >>> 15;
    }
    this.high = high;
    this.low = low;
    return this;
  }

  value(value: Json | undefined): this {
    if (value === null || value === undefined) return this.integer(TAG_NULL);
    switch (typeof value) {
      case "boolean":
        return this.integer(value ? TAG_TRUE : TAG_FALSE);
      case "number":
        return this.number(value);
      case "string":
        return this.integer(TAG_STRING).string(value);
    }
    if (Array.isArray(value)) {
      this.integer(TAG_ARRAY).integer(value.length);
      for (const item of value) this.value(item as Json);
      return this;
    }
    const record = value as { readonly [key: string]: Json };
    const keys = Object.keys(record).sort();
    // A key whose value is undefined is absent, as in canonicalJson: it counts in neither the size
    // nor the entries (counted in place: a filtered copy of the keys costs ~9% on message hashing).
    let size = keys.length;
    for (const key of keys) if (record[key] === undefined) size--;
    this.integer(TAG_OBJECT).integer(size);
    for (const key of keys) {
      if (record[key] === undefined) continue;
      this.string(key).value(record[key]);
    }
    return this;
  }

  /** 16 hex digits. */
  digest(): string {
    let high = this.high ^ (this.low >>> 13);
    let low = this.low ^ Math.imul(this.high, 0x27d4eb2d);
    high = Math.imul(high ^ (high >>> 16), 0x85ebca6b);
    low = Math.imul(low ^ (low >>> 13), 0xc2b2ae35);
    high ^= high >>> 16;
    low ^= low >>> 16;
    return hex8(high) + hex8(low);
  }
}

/** Two hex digits of each byte value, for digest(). */
const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_unused, byte) => byte.toString(16).padStart(2, "0"));

/** A 32-bit lane as 8 hex digits (what `(lane >>> 0).toString(16).padStart(8, "0")` gives, without the number formatting). */
function hex8(lane: number): string {
  return HEX_BYTES[(lane >>> 24) & 0xff]! + HEX_BYTES[(lane >>> 16) & 0xff]! + HEX_BYTES[(lane >>> 8) & 0xff]! + HEX_BYTES[lane & 0xff]!;
}

export function hashJson(value: Json): string {
  return new Hasher().value(value).digest();
}

/** JSON with object keys sorted: the canonical text of a logical trace. */
export function canonicalJson(value: Json, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

function sortKeys(value: Json): Json {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => sortKeys(item as Json));
  const record = value as { readonly [key: string]: Json };
  // No prototype, so an own "__proto__" key (JSON.parse and the JSON boundary keep one) stays a key.
  const sorted: { [key: string]: Json } = Object.create(null);
  for (const key of Object.keys(record).sort()) if (record[key] !== undefined) sorted[key] = sortKeys(record[key]!);
  return sorted;
}
