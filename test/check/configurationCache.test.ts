// The memo of the linearizability search, driven by hand: the memory budget (reserve up to exactly
// its limit, the peak kept after a release), a lookup that confirms every field of a stored
// configuration (hash, state, low, the returned words, the pending words as a subset), and the
// cache's bytes computed by hand from its layout: an arena of 16,384 ints and a table of 4,096
// slots at the first add (4 bytes each: 81,920 bytes), an entry of 6 header ints plus its words,
// the arena doubled when the next entry does not fit, the table doubled past 3/4 full. Every
// stored entry must still be found after each growth.

import { describe, expect, test } from "vitest";
import { CACHE_ADDED, CACHE_OUT_OF_MEMORY, CACHE_PRESENT, ConfigurationCache, MemoryBudget } from "../../src/check/configurationCache.ts";

const FIRST_ALLOCATION_BYTES = (16_384 + 4_096) * 4;
const ARENA_DOUBLED_BYTES = 16_384 * 4;
const TABLE_DOUBLED_BYTES = 4_096 * 4;

interface Configuration {
  readonly hash: number;
  readonly stateId?: number;
  readonly low?: number;
  readonly returned?: readonly number[];
  readonly pending?: readonly number[];
  /** Words before the returned part in the array handed to `add` (the search passes its whole bitset). */
  readonly offset?: number;
  /** Words after the pending part in that array, outside the range handed to `add`. */
  readonly after?: readonly number[];
}

function add(cache: ConfigurationCache, configuration: Configuration): number {
  const { hash, stateId = 0, low = 0, returned = [], pending = [], offset = 0, after = [] } = configuration;
  const words = Uint32Array.from([...Array.from({ length: offset }, () => 0xdeadbeef), ...returned, ...pending, ...after]);
  const returnedTo = offset + returned.length;
  return cache.add(hash, stateId, low, words, offset, returnedTo, returnedTo, returnedTo + pending.length);
}

/** A hash per index, spread over the table (index 0 hashes to 0, slot 0 of any table). */
const hashOf = (index: number): number => Math.imul(index, 0x9e3779b1);

describe("MemoryBudget", () => {
  test("reserves up to exactly its limit, refuses a byte more and then reserves nothing", () => {
    const budget = new MemoryBudget(100);
    expect(budget.reserve(60)).toBe(true);
    expect(budget.reserve(40)).toBe(true);
    expect(budget.usedBytes).toBe(100);
    expect(budget.reserve(1)).toBe(false);
    expect(budget.usedBytes).toBe(100);
  });

  test("the peak is the most ever held at once, kept after a release", () => {
    const budget = new MemoryBudget(1_000);
    budget.reserve(10);
    expect(budget.peakBytes).toBe(10);
    budget.reserve(50);
    expect(budget.peakBytes).toBe(60);
    budget.release(60);
    budget.reserve(30);
    expect(budget.usedBytes).toBe(30);
    expect(budget.peakBytes).toBe(60);
  });
});

describe("ConfigurationCache: lookup", () => {
  test("an equal configuration is present; its size counts entries", () => {
    const cache = new ConfigurationCache(new MemoryBudget(1 << 20));
    expect(cache.size).toBe(0);
    const stored = { hash: 7, stateId: 3, low: 33, returned: [0b101, 0b110], pending: [0b10, 0b1], offset: 1 };
    expect(add(cache, stored)).toBe(CACHE_ADDED);
    expect(cache.size).toBe(1);
    expect(add(cache, stored)).toBe(CACHE_PRESENT);
    expect(cache.size).toBe(1);
  });

  test("a configuration differing from a stored one in any one field is new", () => {
    const stored: Configuration = { hash: 7, stateId: 3, low: 33, returned: [0b101, 0b110], pending: [0b10, 0b1], offset: 1 };
    const variants: readonly Configuration[] = [
      { ...stored, hash: 7 + 4_096 }, // same table slot, another hash
      { ...stored, stateId: 4 },
      { ...stored, low: 34 },
      { ...stored, returned: [0b101] }, // fewer returned words
      { ...stored, returned: [0b101], pending: [0b110, 0b10] }, // fewer returned words, the next ones covering the stored words there
      { ...stored, returned: [0b101, 0b110, 0] }, // more returned words (the last empty)
      { ...stored, returned: [0b100, 0b110] }, // first returned word differs, second equal
      { ...stored, returned: [0b101, 0b111] }, // second returned word differs
      { ...stored, pending: [0b01, 0b1] }, // pending, same size, not a superset of the stored
      { ...stored, pending: [0b10, 0b0] }, // pending missing a bit of the stored one's second word
      { ...stored, pending: [0b10], after: [0b1] }, // fewer pending words (what follows them is not theirs)
    ];
    for (const variant of variants) {
      const cache = new ConfigurationCache(new MemoryBudget(1 << 20));
      expect(add(cache, stored)).toBe(CACHE_ADDED);
      expect(add(cache, variant), JSON.stringify(variant)).toBe(CACHE_ADDED);
      expect(cache.size).toBe(2);
    }
  });

  test("a stored configuration covers one with the same returned part and more pending operations used", () => {
    const cache = new ConfigurationCache(new MemoryBudget(1 << 20));
    expect(add(cache, { hash: 9, returned: [0b1], pending: [0b001, 0b01] })).toBe(CACHE_ADDED);
    // Another entry after it in the arena, so a lookup that reads past an entry sees non-zero words.
    expect(add(cache, { hash: 10, returned: [0b1], pending: [0b1] })).toBe(CACHE_ADDED);
    expect(add(cache, { hash: 9, returned: [0b1], pending: [0b011, 0b11] })).toBe(CACHE_PRESENT);
    expect(add(cache, { hash: 9, returned: [0b1], pending: [0b001, 0b01, 0b1] })).toBe(CACHE_PRESENT);
    // ...but not one that used fewer, or other ones.
    expect(add(cache, { hash: 9, returned: [0b1], pending: [0b001, 0b00] })).toBe(CACHE_ADDED);
    expect(add(cache, { hash: 9, returned: [0b1], pending: [0b100, 0b01] })).toBe(CACHE_ADDED);
  });
});

describe("ConfigurationCache: bytes and growth", () => {
  test("the first add reserves the arena and the table; release gives every byte back and forgets the entries", () => {
    const budget = new MemoryBudget(1 << 20);
    const cache = new ConfigurationCache(budget);
    expect(budget.usedBytes).toBe(0);
    expect(add(cache, { hash: 1, returned: [1] })).toBe(CACHE_ADDED);
    expect(budget.usedBytes).toBe(FIRST_ALLOCATION_BYTES);
    cache.release();
    expect(budget.usedBytes).toBe(0);
    expect(cache.size).toBe(0);
    expect(add(cache, { hash: 1, returned: [1] })).toBe(CACHE_ADDED);
    expect(budget.usedBytes).toBe(FIRST_ALLOCATION_BYTES);
    cache.release();
    expect(budget.usedBytes).toBe(0);
  });

  test("a budget smaller than the first allocation: out of memory, nothing reserved", () => {
    const budget = new MemoryBudget(FIRST_ALLOCATION_BYTES - 1);
    const cache = new ConfigurationCache(budget);
    expect(add(cache, { hash: 1 })).toBe(CACHE_OUT_OF_MEMORY);
    expect(budget.usedBytes).toBe(0);
    expect(cache.size).toBe(0);
  });

  test("the arena doubles only when the next entry does not fit: 2,048 entries of 8 ints fill it exactly", () => {
    const budget = new MemoryBudget(1 << 22);
    const cache = new ConfigurationCache(budget);
    const entry = (index: number): Configuration => ({ hash: hashOf(index), returned: [index], pending: [1] });
    for (let index = 0; index < 2_048; index++) expect(add(cache, entry(index))).toBe(CACHE_ADDED);
    expect(budget.usedBytes).toBe(FIRST_ALLOCATION_BYTES);
    expect(add(cache, entry(2_048))).toBe(CACHE_ADDED);
    expect(budget.usedBytes).toBe(FIRST_ALLOCATION_BYTES + ARENA_DOUBLED_BYTES);
    for (let index = 0; index <= 2_048; index++) expect(add(cache, entry(index))).toBe(CACHE_PRESENT);
    cache.release();
    expect(budget.usedBytes).toBe(0);
    expect(budget.peakBytes).toBe(FIRST_ALLOCATION_BYTES + ARENA_DOUBLED_BYTES);
  });

  test("an entry's size counts its returned and its pending words: 1,365 entries of 12 ints leave 4 ints free, the next grows the arena", () => {
    const budget = new MemoryBudget(1 << 22);
    const cache = new ConfigurationCache(budget);
    const entry = (index: number): Configuration => ({ hash: hashOf(index), returned: [index, 1], pending: [1, 2, 3, 4] });
    for (let index = 0; index < 1_365; index++) expect(add(cache, entry(index))).toBe(CACHE_ADDED);
    expect(budget.usedBytes).toBe(FIRST_ALLOCATION_BYTES);
    expect(add(cache, entry(1_365))).toBe(CACHE_ADDED);
    expect(budget.usedBytes).toBe(FIRST_ALLOCATION_BYTES + ARENA_DOUBLED_BYTES);
    expect(add(cache, entry(1_366))).toBe(CACHE_ADDED);
    for (let index = 0; index <= 1_366; index++) expect(add(cache, entry(index))).toBe(CACHE_PRESENT);
  });

  test("the table doubles when a 3,073rd entry would pass 3/4 of its 4,096 slots, and every entry is still found", () => {
    const budget = new MemoryBudget(1 << 22);
    const cache = new ConfigurationCache(budget);
    // 8 ints an entry (one returned word, read from the second word of the array, and one pending
    // word): the arena doubles at the 2,049th entry (2,048 × 8 = 16,384 ints), the table at the 3,073rd.
    const entry = (index: number): Configuration => ({ hash: hashOf(index), returned: [index], pending: [1], offset: 1 });
    for (let index = 0; index < 3_072; index++) expect(add(cache, entry(index))).toBe(CACHE_ADDED);
    expect(budget.usedBytes).toBe(FIRST_ALLOCATION_BYTES + ARENA_DOUBLED_BYTES);
    expect(add(cache, entry(3_072))).toBe(CACHE_ADDED);
    expect(budget.usedBytes).toBe(FIRST_ALLOCATION_BYTES + ARENA_DOUBLED_BYTES + TABLE_DOUBLED_BYTES);
    for (let index = 0; index <= 3_072; index++) expect(add(cache, entry(index))).toBe(CACHE_PRESENT);
    expect(add(cache, entry(3_073))).toBe(CACHE_ADDED);
    expect(cache.size).toBe(3_074);
    cache.release();
    expect(budget.usedBytes).toBe(0);
  });

  test("an entry longer than twice the arena: the arena grows to the first doubling that holds it, exactly", () => {
    const budget = new MemoryBudget(1 << 22);
    const cache = new ConfigurationCache(budget);
    // 6 + 65,530 ints = 65,536: four times the first arena, no more.
    const big: Configuration = { hash: 5, returned: Array.from({ length: 65_530 }, (_unused, index) => index) };
    expect(add(cache, big)).toBe(CACHE_ADDED);
    expect(budget.usedBytes).toBe(FIRST_ALLOCATION_BYTES + (65_536 - 16_384) * 4);
    expect(add(cache, big)).toBe(CACHE_PRESENT);
    cache.release();
    expect(budget.usedBytes).toBe(0);
  });

  test("growth the budget refuses: out of memory, nothing more reserved, what is stored still found", () => {
    const arenaBudget = new MemoryBudget(FIRST_ALLOCATION_BYTES + ARENA_DOUBLED_BYTES - 1);
    const arenaFull = new ConfigurationCache(arenaBudget);
    const eight = (index: number): Configuration => ({ hash: hashOf(index), returned: [index], pending: [1] });
    for (let index = 0; index < 2_048; index++) add(arenaFull, eight(index));
    expect(add(arenaFull, eight(2_048))).toBe(CACHE_OUT_OF_MEMORY);
    expect(arenaBudget.usedBytes).toBe(FIRST_ALLOCATION_BYTES);
    expect(arenaFull.size).toBe(2_048);
    expect(add(arenaFull, eight(0))).toBe(CACHE_PRESENT);

    const tableBudget = new MemoryBudget(FIRST_ALLOCATION_BYTES + ARENA_DOUBLED_BYTES + TABLE_DOUBLED_BYTES - 1);
    const tableFull = new ConfigurationCache(tableBudget);
    const seven = (index: number): Configuration => ({ hash: hashOf(index), returned: [index] });
    for (let index = 0; index < 3_072; index++) add(tableFull, seven(index));
    expect(add(tableFull, seven(3_072))).toBe(CACHE_OUT_OF_MEMORY);
    expect(tableBudget.usedBytes).toBe(FIRST_ALLOCATION_BYTES + ARENA_DOUBLED_BYTES);
    expect(tableFull.size).toBe(3_072);
    expect(add(tableFull, seven(0))).toBe(CACHE_PRESENT);
    tableFull.release();
    expect(tableBudget.usedBytes).toBe(0);
  });
});
