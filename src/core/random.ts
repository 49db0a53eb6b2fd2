// Seeded randomness: one PRNG per named stream of an execution, all derived from the seed.
// Streams are independent: drawing from one ("network", "crash", "workload", "node:a") never
// shifts another, so switching a fault kind on or off leaves the workload's draws unchanged.
//
// The generator is Johannes Baagøe's Alea, seeded from the string `dsim/<seed>/<name>`, exactly
// as seedrandom's `alea` computes it (test/core/random.test.ts compares the two draw for draw):
// every seed quoted in the docs and every recorded hash depends on these numbers. It is written
// out here rather than called through seedrandom because an execution makes a dozen streams, and
// seedrandom builds four closures per stream and mashes the whole seed string three times; here a
// stream is one small object, and the prefix `dsim/<seed>/`, shared by a seed's streams, is mashed
// once per seed (streams were 9% of a delivery sweep's time).

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, count). */
  below(count: number): number;
  /** An integer in [min, max], both included. */
  between(min: number, max: number): number;
  /** True with probability `probability`. */
  chance(probability: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
}

/** A stream of the execution drawn from `seed`, independent of every other named stream. */
export function randomStream(seed: number, name: string, onDraw?: () => void): Random {
  return new AleaStream(seed, name, onDraw);
}

/** 2^-32. */
const TWO_TO_MINUS_32 = 2.3283064365386963e-10;

/** Baagøe's Mash: folds `data` into the running state `n` (a float below 2^32), returns the new state. */
function mash(n: number, data: string): number {
  for (let index = 0; index < data.length; index++) {
    n += data.charCodeAt(index);
    let h = 0.02519603282416938 * n;
    n = h >>> 0;
    h -= n;
    h *= n;
    n = h >>> 0;
    h -= n;
    n += h * 0x100000000;
  }
  return n;
}

/** The value Mash returns for a state. */
function mashValue(n: number): number {
  return (n >>> 0) * TWO_TO_MINUS_32;
}

/** Mash's state after each of Alea's three opening mashes of ' ', from Mash's initial state. */
const SPACE_STATES = ((): readonly [number, number, number] => {
  const first = mash(0xefc8249d, " ");
  const second = mash(first, " ");
  const third = mash(second, " ");
  return [first, second, third];
})();

/** The last seed whose prefix `dsim/<seed>/` was mashed, and Mash's state after it: one entry, as a sweep makes a seed's streams together. */
let prefixSeed: number | undefined;
let prefixText = "";
let prefixState = 0;

class AleaStream implements Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private c = 1;

  /** `onDraw` counts draws (the explorer hashes a node's position in its stream). */
  constructor(
    seed: number,
    name: string,
    private readonly onDraw?: () => void,
  ) {
    if (prefixSeed !== seed) {
      prefixText = `dsim/${seed}/`;
      prefixState = mash(SPACE_STATES[2], prefixText);
      prefixSeed = seed;
    }
    // Alea's seeding: s0, s1, s2 from the three mashes of ' ', less the three of the seed string
    // (Mash's state runs on from one mash to the next, so only the first pass starts from the cache).
    let n = mash(prefixState, name);
    let s0 = mashValue(SPACE_STATES[0]) - mashValue(n);
    if (s0 < 0) s0 += 1;
    n = mash(mash(n, prefixText), name);
    let s1 = mashValue(SPACE_STATES[1]) - mashValue(n);
    if (s1 < 0) s1 += 1;
    n = mash(mash(n, prefixText), name);
    let s2 = mashValue(SPACE_STATES[2]) - mashValue(n);
    if (s2 < 0) s2 += 1;
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
  }

  next(): number {
    this.onDraw?.();
    const t = 2091639 * this.s0 + this.c * TWO_TO_MINUS_32;
    this.s0 = this.s1;
    this.s1 = this.s2;
    return (this.s2 = t - (this.c = t | 0));
  }

  below(count: number): number {
    return Math.floor(this.next() * count);
  }

  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  chance(probability: number): boolean {
    return probability > 0 && this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick from an empty list");
    return items[this.below(items.length)]!;
  }
}
