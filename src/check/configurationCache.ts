// The memo of the linearizability search (Lowe's refinement of Wing & Gong, as Porcupine keeps it):
// configurations already explored, each a (linearized set, model state) pair, found by a hash and
// confirmed by an equality check. Stored flat in one Int32Array arena with a chained hash table,
// so a visited configuration costs a few words, not an object, and the bytes are counted against
// a shared memory budget.
//
// A linearized set is stored compactly (see wglSearch.ts): `low`, the first returned operation not
// yet linearized (every one before it is), the words of the window above it, and the words of the
// operations that never returned ("pending"). Histories of a well-behaved system keep that window
// small, so 10^6 sequential operations cost a few words each, not 10^6 bits each.
//
// A stored configuration also covers every configuration with the same returned operations and
// state that has used more pending operations: whatever such a configuration can still do, the
// stored one can too (a pending operation constrains nothing, and the stored one has more left).
// So the hash leaves the pending part out, and "present" means equal returned part and state and
// a stored pending part that is a subset of the new one.

/** Bytes shared by every cache (and state table) of one check; exceeding `bytesMax` ends the check as unknown. */
export class MemoryBudget {
  usedBytes = 0;
  peakBytes = 0;

  constructor(readonly bytesMax: number) {}

  /** Reserves `bytes`; false (and nothing reserved) when that would pass the budget. */
  reserve(bytes: number): boolean {
    if (this.usedBytes + bytes > this.bytesMax) return false;
    this.usedBytes += bytes;
    if (this.usedBytes > this.peakBytes) this.peakBytes = this.usedBytes;
    return true;
  }

  release(bytes: number): void {
    this.usedBytes -= bytes;
  }
}

// Entry layout in the arena: hash, next entry (offset + 1, 0 = none), state id, low, returned word
// count, pending word count, then the words.
const HEADER_INTS = 6;
const ARENA_INTS_INITIAL = 1 << 14;
const TABLE_SLOTS_INITIAL = 1 << 12;

/** What `add` found: the configuration is new (and now stored), was already stored, or did not fit the budget. */
export type CacheAnswer = typeof CACHE_ADDED | typeof CACHE_PRESENT | typeof CACHE_OUT_OF_MEMORY;
export const CACHE_ADDED = 0;
export const CACHE_PRESENT = 1;
export const CACHE_OUT_OF_MEMORY = 2;

export class ConfigurationCache {
  private arena = new Int32Array(0);
  private arenaUsedInts = 0;
  private table = new Int32Array(0);
  private tableMask = 0;
  private entryCount = 0;
  private reservedBytes = 0;

  constructor(private readonly budget: MemoryBudget) {}

  get size(): number {
    return this.entryCount;
  }

  /**
   * Adds the configuration unless an equal or dominating one is stored. The set is `words` read as:
   * the range [returnedFrom, returnedTo) and [pendingFrom, pendingTo) of word indices, plus `low`;
   * `hash` must not depend on the pending part.
   */
  add(hash: number, stateId: number, low: number, words: Uint32Array, returnedFrom: number, returnedTo: number, pendingFrom: number, pendingTo: number): CacheAnswer {
    if (this.tableMask === 0 && !this.allocate()) return CACHE_OUT_OF_MEMORY;
    const returnedCount = returnedTo - returnedFrom;
    const pendingCount = pendingTo - pendingFrom;
    const arena = this.arena;
    let link = this.table[hash & this.tableMask]!;
    while (link !== 0) {
      const at = link - 1;
      if (arena[at] === hash && arena[at + 2] === stateId && arena[at + 3] === low && arena[at + 4] === returnedCount && arena[at + 5]! <= pendingCount) {
        let covers = true;
        let cursor = at + HEADER_INTS;
        for (let word = returnedFrom; word < returnedTo && covers; word++) covers = arena[cursor++] === (words[word]! | 0);
        const storedPendingTo = pendingFrom + arena[at + 5]!;
        for (let word = pendingFrom; word < storedPendingTo && covers; word++) covers = (arena[cursor++]! & ~words[word]!) === 0;
        if (covers) return CACHE_PRESENT;
      }
      link = arena[at + 1]!;
    }
    const entryInts = HEADER_INTS + returnedCount + pendingCount;
    if (this.arenaUsedInts + entryInts > this.arena.length && !this.growArena(entryInts)) return CACHE_OUT_OF_MEMORY;
    if ((this.entryCount + 1) * 4 > this.table.length * 3 && !this.growTable()) return CACHE_OUT_OF_MEMORY;
    const at = this.arenaUsedInts;
    const target = this.arena;
    const slot = hash & this.tableMask;
    target[at] = hash;
    target[at + 1] = this.table[slot]!;
    target[at + 2] = stateId;
    target[at + 3] = low;
    target[at + 4] = returnedCount;
    target[at + 5] = pendingCount;
    let cursor = at + HEADER_INTS;
    for (let word = returnedFrom; word < returnedTo; word++) target[cursor++] = words[word]! | 0;
    for (let word = pendingFrom; word < pendingTo; word++) target[cursor++] = words[word]! | 0;
    this.table[slot] = at + 1;
    this.arenaUsedInts = cursor;
    this.entryCount++;
    return CACHE_ADDED;
  }

  /** Gives the cache's bytes back to the budget and forgets every entry. */
  release(): void {
    this.budget.release(this.reservedBytes);
    this.reservedBytes = 0;
    this.arena = new Int32Array(0);
    this.table = new Int32Array(0);
    this.tableMask = 0;
    this.arenaUsedInts = 0;
    this.entryCount = 0;
  }

  private allocate(): boolean {
    const bytes = ARENA_INTS_INITIAL * 4 + TABLE_SLOTS_INITIAL * 4;
    if (!this.budget.reserve(bytes)) return false;
    this.reservedBytes += bytes;
    this.arena = new Int32Array(ARENA_INTS_INITIAL);
    this.table = new Int32Array(TABLE_SLOTS_INITIAL);
    this.tableMask = TABLE_SLOTS_INITIAL - 1;
    return true;
  }

  private growArena(entryInts: number): boolean {
    let length = this.arena.length * 2;
    while (length < this.arenaUsedInts + entryInts) length *= 2;
    const extraBytes = (length - this.arena.length) * 4;
    if (!this.budget.reserve(extraBytes)) return false;
    this.reservedBytes += extraBytes;
    const grown = new Int32Array(length);
    grown.set(this.arena.subarray(0, this.arenaUsedInts));
    this.arena = grown;
    return true;
  }

  /** Doubles the table and relinks every entry (entries lie back to back in the arena). */
  private growTable(): boolean {
    const slots = this.table.length * 2;
    const extraBytes = (slots - this.table.length) * 4;
    if (!this.budget.reserve(extraBytes)) return false;
    this.reservedBytes += extraBytes;
    const table = new Int32Array(slots);
    const mask = slots - 1;
    const arena = this.arena;
    for (let at = 0; at < this.arenaUsedInts; at += HEADER_INTS + arena[at + 4]! + arena[at + 5]!) {
      const slot = arena[at]! & mask;
      arena[at + 1] = table[slot]!;
      table[slot] = at + 1;
    }
    this.table = table;
    this.tableMask = mask;
    return true;
  }
}
