// The wal scenario's logical input: the writes one client issues, in order. Values are distinct
// five-digit numbers, so a torn digit string ("12" of "12345") is never a written value.

import type { Json, Random } from "../../src/index.ts";

export interface Write {
  /** 1-based position in the client's order; the store's log sequence number. */
  readonly index: number;
  readonly key: string;
  readonly value: number;
  readonly [field: string]: Json;
}

export interface Workload {
  readonly writes: readonly Write[];
  readonly [field: string]: Json;
}

export const KEYS = ["a", "b", "c"] as const;
const WRITE_COUNT_MIN = 4;
const WRITE_COUNT_MAX = 8;
const VALUE_MIN = 10_000;
const VALUE_MAX = 99_999;

export function drawWorkload(random: Random): Workload {
  const count = random.between(WRITE_COUNT_MIN, WRITE_COUNT_MAX);
  const used = new Set<number>();
  const writes: Write[] = [];
  for (let index = 1; index <= count; index++) {
    let value = random.between(VALUE_MIN, VALUE_MAX);
    while (used.has(value)) value = random.between(VALUE_MIN, VALUE_MAX);
    used.add(value);
    writes.push({ index, key: random.pick(KEYS), value });
  }
  return { writes };
}

/** The write that put `value` under `key`, if any did. */
export function writeOf(workload: Workload, key: string, value: number): Write | undefined {
  return workload.writes.find((write) => write.key === key && write.value === value);
}
