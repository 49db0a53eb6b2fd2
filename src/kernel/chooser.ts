// Choosers: every nondeterministic decision of the network and the fault model is asked of a
// chooser. The engine never knows which one it has: a seeded-random chooser for runs and sweeps,
// a recording wrapper for shrinking, a replaying or enumerating one for exploration.

import { randomStream, type Random } from "./random.ts";

/** "deliver" is the delivery-order decision (`nextDelivery`); the others are fault decisions. */
export type DecisionKind = "latency" | "drop" | "duplicate" | "delay" | "partition" | "crash" | "restart" | "torn" | "skew" | "deliver";

/**
 * A step where more than one delivery could run next. The engine offers it to the chooser and
 * computes what the chooser asks for only on demand, so a chooser that answers 0 costs nothing.
 */
export interface DeliveryChoice {
  /**
   * The distinct deliveries that are ready: every in-flight delivery due before the next
   * non-delivery event (timer, restart, fault tick, heal), in (time, insertion) order. Copies of
   * one message due at the same time count once. Index 0 is the one the event heap would run.
   */
  readyCount(): number;
  /**
   * A canonical hash of the global state at this step: node states, disks, pending timers and
   * in-flight messages (without message ids or insertion order), virtual time, the notes so far.
   */
  stateHash(): string;
}

export interface Chooser {
  /** A fault decision: true means the fault happens. Never consulted with probability 0. */
  chance(kind: DecisionKind, probability: number): boolean;
  /** A magnitude in [0, count): which node, how long, how far. 0 is the gentlest choice. */
  below(kind: DecisionKind, count: number): number;
  /**
   * Which ready delivery runs next: an index in [0, choice.readyCount()). Asked only when at least
   * two deliveries are in flight and the earliest event is a delivery. Optional: a chooser
   * without it answers 0, the event heap's (time, insertion) order, which is what every seeded
   * run does. An index above 0 delivers that message now (at the current virtual time if it was
   * due later), ahead of the earlier ones: the network reordered it.
   */
  nextDelivery?(choice: DeliveryChoice): number;
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

  /** Always the heap's order: a seed reorders messages only through the delays it draws. */
  nextDelivery(): number {
    return 0;
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
