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

/** Every decision kind, in a fixed order (for parsing recorded decisions). */
export const DECISION_KINDS: readonly DecisionKind[] = ["latency", "drop", "duplicate", "delay", "partition", "crash", "restart", "torn", "skew", "deliver"];

/** One recorded answer: a chance as 0 or 1, a magnitude as its value. */
/** One step of an explored schedule: the answer given to a question of this kind. */
export type Choice = { readonly kind: DecisionKind; readonly value: number };

export type Decision = { readonly kind: DecisionKind; readonly question: "chance" | "below"; readonly value: number };

/** Wraps a chooser and records its answers in order (chance as 0 or 1). */
export class RecordingChooser implements Chooser {
  readonly decisions: Decision[] = [];

  constructor(private readonly inner: Chooser) {}

  chance(kind: DecisionKind, probability: number): boolean {
    const value = this.inner.chance(kind, probability);
    this.decisions.push({ kind, question: "chance", value: value ? 1 : 0 });
    return value;
  }

  below(kind: DecisionKind, count: number): number {
    const value = this.inner.below(kind, count);
    this.decisions.push({ kind, question: "below", value });
    return value;
  }
}

/**
 * Answers from a recorded decision sequence instead of drawing: replaying a RecordingChooser's
 * record reproduces its execution exactly. An edited record (the shrinker's) may no longer fit the
 * questions the engine asks; then the replay stays in step by kind and answers the gentlest choice
 * (chance → false, below → 0) wherever the record has nothing for the question:
 * - a chance question skips magnitudes left over from a removed fault, then takes the next record
 *   if it is a chance of the same kind, else answers false and keeps the record for a later question;
 * - a below question takes the next record if it is a magnitude of the same kind (clamped to the
 *   range asked), else answers 0;
 * - once the record runs out, every answer is the gentlest.
 */
export class ReplayChooser implements Chooser {
  private position = 0;

  constructor(private readonly decisions: readonly Decision[]) {}

  /** How many records have been used or skipped. */
  get consumed(): number {
    return this.position;
  }

  chance(kind: DecisionKind, _probability: number): boolean {
    while (this.position < this.decisions.length && this.decisions[this.position]!.question === "below") this.position++;
    const next = this.decisions[this.position];
    if (next === undefined || next.kind !== kind) return false;
    this.position++;
    return next.value !== 0;
  }

  below(kind: DecisionKind, count: number): number {
    const next = this.decisions[this.position];
    if (next === undefined || next.question !== "below" || next.kind !== kind) return 0;
    this.position++;
    return Math.min(next.value, count - 1);
  }
}
