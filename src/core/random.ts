// Seeded randomness: one PRNG per named stream of an execution, all derived from the seed.
// Streams are independent: drawing from one ("network", "crash", "workload", "node:a") never
// shifts another, so switching a fault kind on or off leaves the workload's draws unchanged.

import seedrandom from "seedrandom";

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
  return new AleaStream(seedrandom.alea(`dsim/${seed}/${name}`), onDraw);
}

class AleaStream implements Random {
  /** `onDraw` counts draws (the explorer hashes a node's position in its stream). */
  constructor(
    private readonly prng: seedrandom.PRNG,
    private readonly onDraw?: () => void,
  ) {}

  next(): number {
    this.onDraw?.();
    return this.prng.quick();
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
