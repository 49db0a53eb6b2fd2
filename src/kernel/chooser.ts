// Choosers: every nondeterministic decision of the network and the fault model is asked of a
// chooser. The engine never knows which one it has: a seeded-random chooser for runs and sweeps,
// a recording wrapper for shrinking, a replaying or enumerating one for exploration.

import { randomStream, type Random } from "./random.ts";

export type DecisionKind = "latency" | "drop" | "duplicate" | "delay" | "partition" | "crash" | "restart" | "torn" | "skew";

export interface Chooser {
  /** A fault decision: true means the fault happens. Never consulted with probability 0. */
  chance(kind: DecisionKind, probability: number): boolean;
  /** A magnitude in [0, count): which node, how long, how far. 0 is the gentlest choice. */
  below(kind: DecisionKind, count: number): number;
}

/** Draws each decision kind from its own stream of the seed, so kinds never shift each other. */
export class RandomChooser implements Chooser {
  private readonly streams = new Map<DecisionKind, Random>();

  constructor(private readonly seed: number) {}

  chance(kind: DecisionKind, probability: number): boolean {
    return this.stream(kind).chance(probability);
  }

  below(kind: DecisionKind, count: number): number {
    return this.stream(kind).below(count);
  }

  private stream(kind: DecisionKind): Random {
    let stream = this.streams.get(kind);
    if (stream === undefined) {
      stream = randomStream(this.seed, `fault:${kind}`);
      this.streams.set(kind, stream);
    }
    return stream;
  }
}

export type Decision = { readonly kind: DecisionKind; readonly value: number };

/** Wraps a chooser and records its answers in order (chance as 0 or 1). */
export class RecordingChooser implements Chooser {
  readonly decisions: Decision[] = [];

  constructor(private readonly inner: Chooser) {}

  chance(kind: DecisionKind, probability: number): boolean {
    const value = this.inner.chance(kind, probability);
    this.decisions.push({ kind, value: value ? 1 : 0 });
    return value;
  }

  below(kind: DecisionKind, count: number): number {
    const value = this.inner.below(kind, count);
    this.decisions.push({ kind, value });
    return value;
  }
}
