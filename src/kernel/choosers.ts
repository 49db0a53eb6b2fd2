// The choosers of runs, sweeps, replays and shrinking. Every nondeterministic decision of the world
// is asked of a chooser (core/tape.ts says what a question is); the engine never knows which one it
// has. Exhaustive exploration has its own, enumerating chooser (exploringChooser.ts).

import { randomStream, type Random } from "../core/random.ts";
import { questionKey, Tape, type Chooser, type Decision, type DecisionKind, type DeliveryChoice, type Question } from "../core/tape.ts";

/**
 * The seeded stream each decision kind draws from. A kind's magnitudes share its chance's stream
 * (a delay's length is drawn right after the delay), and each stream is drawn in the order its
 * questions come, so turning one fault kind on or off never shifts another kind's draws.
 */
const STREAM_OF: Readonly<Record<DecisionKind, string>> = {
  drop: "drop", latency: "latency", delay: "delay", "delay-ms": "delay", duplicate: "duplicate", "duplicate-ms": "duplicate",
  partition: "partition", "partition-cut": "partition", "partition-ms": "partition", crash: "crash", "restart-ms": "restart",
  torn: "torn", "torn-bytes": "torn", skew: "skew", "skew-ms": "skew", order: "order",
  "leader-crash": "leader-crash", "leader-crash-ms": "leader-crash", "leader-isolate": "leader-isolate", "leader-isolate-cut": "leader-isolate",
  "leader-isolate-ms": "leader-isolate", "voter-isolate": "voter-isolate", "voter-isolate-ms": "voter-isolate", "leader-churn": "leader-churn",
  "leader-churn-count": "leader-churn", "leader-churn-ms": "leader-churn",
  "leader-send-churn": "leader-send-churn", "leader-send-churn-count": "leader-send-churn", "leader-send-churn-ms": "leader-send-churn",
  "crash-point": "crash-point", "crash-point-ms": "crash-point-restart",
  "crash-point-torn": "crash-point-torn", "crash-point-torn-bytes": "crash-point-torn",
  corrupt: "corrupt", "corrupt-bit": "corrupt", "lost-fsync": "lost-fsync", misdirect: "misdirect", "misdirect-to": "misdirect",
};

/** The stream names of STREAM_OF, in a fixed order, and each decision kind's place among them. */
const STREAM_NAMES: readonly string[] = [...new Set(Object.values(STREAM_OF))];
const STREAM_INDEX: ReadonlyMap<DecisionKind, number> = new Map(Object.entries(STREAM_OF).map(([kind, name]) => [kind as DecisionKind, STREAM_NAMES.indexOf(name)]));
/** Each stream's seed name, `fault:<name>`, made once: not a new string (and its flattening for the seed's mash) per stream per execution. */
const STREAM_SEED_NAMES: readonly string[] = STREAM_NAMES.map((name) => `fault:${name}`);

/** Draws every decision from the seed: one stream per kind (see STREAM_OF), made on its first draw. */
export class RandomChooser implements Chooser {
  /** By STREAM_INDEX: a slot per stream, so a draw costs one map read and no string (4% of a delivery sweep before). */
  private readonly streams: (Random | undefined)[] = new Array<Random | undefined>(STREAM_NAMES.length).fill(undefined);

  constructor(private readonly seed: number) {}

  chance(question: Question, probability: number): boolean {
    return this.stream(question.kind).chance(probability);
  }

  below(question: Question, count: number): number {
    return this.stream(question.kind).below(count);
  }

  private stream(kind: DecisionKind): Random {
    const index = STREAM_INDEX.get(kind)!;
    return (this.streams[index] ??= randomStream(this.seed, STREAM_SEED_NAMES[index]!));
  }
}

/**
 * Answers from a tape: the recorded answer of each question, the gentlest one (no fault, 0) where
 * the tape holds none. A magnitude is clamped to the range asked. Replaying the tape an execution
 * recorded reproduces it exactly; a tape with decisions taken out (the shrinker's) still means the
 * same for every decision it keeps. Decisions never asked are reported, so a replay can say the
 * schedule no longer fits.
 */
export class TapeChooser implements Chooser {
  private readonly usedKeys = new Set<string>();

  constructor(private readonly tape: Tape) {}

  chance(question: Question): boolean {
    return this.answer(question, 2) === 1;
  }

  below(question: Question, count: number): number {
    return this.answer(question, count);
  }

  order(question: Question & { readonly kind: "order" }, choice: DeliveryChoice): number {
    return this.tape.has(question) ? this.answer(question, choice.readyCount()) : 0;
  }

  /** Recorded decisions no question asked for. */
  unused(): Decision[] {
    return this.tape.decisions().filter((decision) => !this.usedKeys.has(questionKey(decision)));
  }

  private answer(question: Question, count: number): number {
    const recorded = this.tape.get(question);
    if (recorded === undefined) return 0;
    this.usedKeys.add(questionKey(question));
    return Math.min(recorded, count - 1);
  }
}

/**
 * Wraps a chooser and records every question and its answer, in the order asked, with how many
 * answers it had: what the shrinker and the bounded search read of an execution.
 */
export class RecordingChooser implements Chooser {
  readonly asked: Decision[] = [];
  /** How many answers each question of `asked` had: 2 for a fault, the count for a magnitude, 0 for an order point (not counted). */
  readonly options: number[] = [];
  readonly order?: Chooser["order"];

  constructor(private readonly inner: Chooser) {
    if (inner.order !== undefined) {
      const innerOrder = inner.order.bind(inner);
      this.order = (question, choice) => this.keep(question, innerOrder(question, choice), 0);
    }
  }

  chance(question: Question, probability: number): boolean {
    return this.keep(question, this.inner.chance(question, probability) ? 1 : 0, 2) === 1;
  }

  below(question: Question, count: number): number {
    return this.keep(question, this.inner.below(question, count), count);
  }

  /** The tape that replays what was recorded: every answer but the gentlest. */
  tape(): Tape {
    return new Tape(this.asked);
  }

  private keep(question: Question, value: number, options: number): number {
    this.asked.push({ ...question, value } as Decision);
    this.options.push(options);
    return value;
  }
}
