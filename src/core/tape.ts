// The schedule tape: every nondeterministic decision of an execution (a drop, a delay, a crash, which
// ready message goes first) is one kind of record, keyed by what it decides, never by its position:
//
//   message decisions   the n-th message `from` sent to `to`        drop, latency, delay, delay-ms,
//                                                                    duplicate, duplicate-ms
//   fault-tick decisions the cluster, or one node, at fault tick k   partition, partition-cut,
//                       (one file of it, for a torn write or a       partition-ms, crash, restart-ms,
//                       bit flip)                                    torn, torn-bytes, skew, skew-ms,
//                                                                    corrupt, corrupt-bit
//   effect decisions    the e-th effect (send, write, append,        crash-point, crash-point-ms,
//                       fsync, replace) of a node's i-th handler     crash-point-torn,
//                       invocation (and the file a tear or a         crash-point-torn-bytes,
//                       storage fault is about)                      lost-fsync, misdirect, misdirect-to
//   order decisions     the p-th time several deliveries were ready  order
//
// Each kind's role (a fault, a magnitude of one, or free: the ordinary nondeterminism of a healthy
// system) is one table, DECISION_KINDS; the shrinker, the bounded search and the fault lists read
// only that table, so a new kind needs its entry there and nothing else.
//
// A tape holds only the answers that differ from the gentlest one (a chance answered yes, a
// magnitude above 0); a question it does not hold gets the gentlest answer (no fault, 0). So taking
// one decision off a tape leaves every other decision meaning what it meant: replay reads a tape,
// the shrinker cuts it, the explorer enumerates it, and a replay file stores it.
//
// The Chooser is who answers: a seeded-random chooser for runs and sweeps, a tape chooser for
// replay and shrinking, an enumerating one for exhaustive exploration (kernel/).

import { UsageError } from "./errors.ts";
import { isJsonRecord, type Json, type NodeId } from "./json.ts";

export const MESSAGE_DECISIONS = ["drop", "latency", "delay", "delay-ms", "duplicate", "duplicate-ms"] as const;
export const TICK_DECISIONS = [
  "partition", "partition-cut", "partition-ms", "crash", "restart-ms", "torn", "torn-bytes", "skew", "skew-ms",
  // The targeted nemeses (world/targeted.ts): keyed by tick alone, aimed at whoever holds the role then.
  "leader-crash", "leader-crash-ms", "leader-isolate", "leader-isolate-cut", "leader-isolate-ms",
  "voter-isolate", "voter-isolate-ms", "leader-churn", "leader-churn-count", "leader-churn-ms",
  // The storage fault atlas (world/storage.ts): a bit flip in a file's durable bytes, per tick.
  "corrupt", "corrupt-bit",
  // The churn that deposes each leader right after it sends (world/targeted.ts), added after the atlas.
  "leader-send-churn", "leader-send-churn-count", "leader-send-churn-ms",
] as const;
export const EFFECT_DECISIONS = [
  "crash-point", "crash-point-ms", "crash-point-torn", "crash-point-torn-bytes", "lost-fsync", "misdirect", "misdirect-to",
] as const;
export const ORDER_DECISIONS = ["order"] as const;

export type MessageDecisionKind = (typeof MESSAGE_DECISIONS)[number];
export type TickDecisionKind = (typeof TICK_DECISIONS)[number];
export type EffectDecisionKind = (typeof EFFECT_DECISIONS)[number];
export type DecisionKind = MessageDecisionKind | TickDecisionKind | EffectDecisionKind | "order";

/** What a decision is about: the n-th message on a channel, a fault tick, a node's effect, or an order point. */
export type DecisionSubject = "message" | "tick" | "effect" | "order";

/**
 * What a decision's answer is. A `fault` is asked as yes/no, and yes is a fault (what shrinking
 * counts and the bounded search budgets). A `magnitude` sizes the fault it belongs to (how long a
 * delay, which cut, how many bytes survive). A `free` decision is the ordinary nondeterminism of a
 * healthy system (latency jitter, which ready delivery goes first): never a fault.
 */
export type DecisionRole = "fault" | "magnitude" | "free";

/**
 * How a magnitude's values are ordered: a `length` (0 is the gentlest, larger is harsher), `signed`
 * (the middle value is the gentlest, 0 and the top the two extremes), a `choice` (no order: which cut).
 */
export type MagnitudeScale = "length" | "signed" | "choice";

export interface DecisionKindInfo {
  readonly subject: DecisionSubject;
  readonly role: DecisionRole;
  /** For a magnitude (or a fault that only happens with another, a torn write): the fault it goes with. */
  readonly owner?: DecisionKind;
  /** For a magnitude or a free decision: how its values are ordered. */
  readonly scale?: MagnitudeScale;
  /**
   * For a fault: the free decision about the same subject that may stand in for it (a short
   * delay is latency jitter). The shrinker tries it; the same timing without a fault is smaller.
   */
  readonly relief?: DecisionKind;
}

/**
 * Every decision kind, what it is about, and what its answer means. The shrinker, the bounded
 * search and the fault lists read only this table: a new kind needs its entry here and nothing else.
 */
export const DECISION_KINDS: Readonly<Record<DecisionKind, DecisionKindInfo>> = {
  drop: { subject: "message", role: "fault" },
  latency: { subject: "message", role: "free", scale: "length" },
  delay: { subject: "message", role: "fault", relief: "latency" },
  "delay-ms": { subject: "message", role: "magnitude", owner: "delay", scale: "length" },
  duplicate: { subject: "message", role: "fault" },
  "duplicate-ms": { subject: "message", role: "magnitude", owner: "duplicate", scale: "length" },
  partition: { subject: "tick", role: "fault" },
  "partition-cut": { subject: "tick", role: "magnitude", owner: "partition", scale: "choice" },
  "partition-ms": { subject: "tick", role: "magnitude", owner: "partition", scale: "length" },
  crash: { subject: "tick", role: "fault" },
  "restart-ms": { subject: "tick", role: "magnitude", owner: "crash", scale: "length" },
  torn: { subject: "tick", role: "fault", owner: "crash" },
  "torn-bytes": { subject: "tick", role: "magnitude", owner: "torn", scale: "length" },
  skew: { subject: "tick", role: "fault" },
  "skew-ms": { subject: "tick", role: "magnitude", owner: "skew", scale: "signed" },
  "leader-crash": { subject: "tick", role: "fault" },
  "leader-crash-ms": { subject: "tick", role: "magnitude", owner: "leader-crash", scale: "length" },
  "leader-isolate": { subject: "tick", role: "fault" },
  "leader-isolate-cut": { subject: "tick", role: "magnitude", owner: "leader-isolate", scale: "choice" },
  "leader-isolate-ms": { subject: "tick", role: "magnitude", owner: "leader-isolate", scale: "length" },
  "voter-isolate": { subject: "tick", role: "fault" },
  "voter-isolate-ms": { subject: "tick", role: "magnitude", owner: "voter-isolate", scale: "length" },
  "leader-churn": { subject: "tick", role: "fault" },
  "leader-churn-count": { subject: "tick", role: "magnitude", owner: "leader-churn", scale: "length" },
  "leader-churn-ms": { subject: "tick", role: "magnitude", owner: "leader-churn", scale: "length" },
  "leader-send-churn": { subject: "tick", role: "fault" },
  "leader-send-churn-count": { subject: "tick", role: "magnitude", owner: "leader-send-churn", scale: "length" },
  "leader-send-churn-ms": { subject: "tick", role: "magnitude", owner: "leader-send-churn", scale: "length" },
  corrupt: { subject: "tick", role: "fault" },
  "corrupt-bit": { subject: "tick", role: "magnitude", owner: "corrupt", scale: "choice" },
  "crash-point": { subject: "effect", role: "fault" },
  "crash-point-ms": { subject: "effect", role: "magnitude", owner: "crash-point", scale: "length" },
  "crash-point-torn": { subject: "effect", role: "fault", owner: "crash-point" },
  "crash-point-torn-bytes": { subject: "effect", role: "magnitude", owner: "crash-point-torn", scale: "length" },
  "lost-fsync": { subject: "effect", role: "fault" },
  misdirect: { subject: "effect", role: "fault" },
  "misdirect-to": { subject: "effect", role: "magnitude", owner: "misdirect", scale: "choice" },
  order: { subject: "order", role: "free", scale: "choice" },
};

/** Whether the decision is asked as yes/no: a fault (a yes is one). */
export function isChance(kind: DecisionKind): boolean {
  // A kind read from a file may be none of ours (parseDecision asks before it rejects it).
  return (DECISION_KINDS as Partial<Record<string, DecisionKindInfo>>)[kind]?.role === "fault";
}

/** Whether the decision is the ordinary nondeterminism of a healthy system (jitter, order): never a fault. */
export function isFree(kind: DecisionKind): boolean {
  return DECISION_KINDS[kind].role === "free";
}

/** Where the decision's subject sits in its sequence: the message's n, the tick, the handler invocation, the order point. */
export function positionOf(question: Question): number {
  return "n" in question ? question.n : "tick" in question ? question.tick : "invocation" in question ? question.invocation : question.point;
}

/** The same question about another message of its channel, another tick, another invocation, another order point. */
export function atPosition<Q extends Question>(question: Q, position: number): Q {
  if ("n" in question) return { ...question, n: position };
  if ("tick" in question) return { ...question, tick: position };
  if ("invocation" in question) return { ...question, invocation: position };
  return { ...question, point: position };
}

/** What a decision is about: the question, without its answer. */
export type Question =
  /** The n-th message (from 1) that `from` sent to `to`. */
  | { readonly kind: MessageDecisionKind; readonly from: NodeId; readonly to: NodeId; readonly n: number }
  /** Fault tick `tick` (from 0): for the cluster, one node, or one file of a node. */
  | { readonly kind: TickDecisionKind; readonly tick: number; readonly node?: NodeId; readonly file?: string }
  /**
   * The `effect`-th effect (from 1) of `node`'s `invocation`-th handler invocation (from 1, counted
   * over the node's whole life), and the file a tear or a storage fault is about.
   */
  | { readonly kind: EffectDecisionKind; readonly node: NodeId; readonly invocation: number; readonly effect: number; readonly file?: string }
  /** The `point`-th step (from 0) at which several deliveries were ready. */
  | { readonly kind: "order"; readonly point: number };

/** A question with its answer: a chance as 0 or 1, a magnitude as its value. */
export type Decision = Question & { readonly value: number };

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

/**
 * Answers the world's questions. A chooser reads a question only while it answers: the world reuses
 * one question object per shape (world/questions.ts), so a chooser that keeps a question keeps a copy.
 */
export interface Chooser {
  /** A fault decision: true means the fault happens. Never consulted with probability 0. */
  chance(question: Question, probability: number): boolean;
  /** A magnitude in [0, count): which cut, how long, how far. 0 is the gentlest choice. */
  below(question: Question, count: number): number;
  /**
   * Which ready delivery runs next: an index in [0, choice.readyCount()). Optional: a chooser
   * without it answers 0, the event heap's (time, insertion) order, which is what every seeded run
   * does. Asked (and counted as an order point) only when two or more deliveries are in flight and
   * the earliest event is a delivery. An index above 0 delivers that message now, ahead of the
   * earlier ones: the network reordered it.
   */
  order?(question: Question & { readonly kind: "order" }, choice: DeliveryChoice): number;
}

/** The canonical key of a question: equal questions, equal keys. */
export function questionKey(question: Question): string {
  switch (question.kind) {
    case "order":
      return JSON.stringify(["order", question.point]);
    case "drop": case "latency": case "delay": case "delay-ms": case "duplicate": case "duplicate-ms":
      return JSON.stringify([question.kind, question.from, question.to, question.n]);
    default:
      if ("invocation" in question) return JSON.stringify([question.kind, question.node, question.invocation, question.effect, question.file ?? null]);
      return JSON.stringify([question.kind, question.tick, question.node ?? null, question.file ?? null]);
  }
}

/** A tape: decisions by question key. Built from a list, it keeps one decision per question. */
export class Tape {
  private readonly byKey = new Map<string, Decision>();

  constructor(decisions: Iterable<Decision> = []) {
    for (const decision of decisions) this.set(decision);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The recorded answer, or undefined: the gentlest answer (no fault, magnitude 0). */
  get(question: Question): number | undefined {
    return this.byKey.get(questionKey(question))?.value;
  }

  /** Records an answer; a gentlest answer is not kept (its absence says the same). */
  set(decision: Decision): void {
    const key = questionKey(decision);
    if (decision.value === 0) this.byKey.delete(key);
    else this.byKey.set(key, decision);
  }

  has(question: Question): boolean {
    return this.byKey.has(questionKey(question));
  }

  /** The decisions in a canonical order (by key), so equal tapes list equally. */
  decisions(): Decision[] {
    return [...this.byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, decision]) => decision);
  }

  /** A copy without the given questions. */
  without(questions: Iterable<Question>): Tape {
    const removed = new Set([...questions].map(questionKey));
    return new Tape(this.decisions().filter((decision) => !removed.has(questionKey(decision))));
  }

  /** A copy with these decisions set over this tape's. */
  with(decisions: Iterable<Decision>): Tape {
    const tape = new Tape(this.decisions());
    for (const decision of decisions) tape.set(decision);
    return tape;
  }
}

/** The faults of a tape: its chance decisions (answered yes). */
export function faultsOf(tape: Tape): Decision[] {
  return tape.decisions().filter((decision) => isChance(decision.kind));
}

/**
 * The magnitudes that belong to a fault, and go with it when it is taken off: a delay's and a
 * duplicate's own delay, a partition's cut and length, a crash's (or a crash point's) restart delay
 * and torn writes, a skew's size, a bit flip's bit, a misdirected write's landing place.
 */
export function belongsTo(decision: Decision, fault: Decision): boolean {
  for (let owner = DECISION_KINDS[decision.kind].owner; owner !== undefined; owner = DECISION_KINDS[owner].owner) {
    if (owner === fault.kind) return sameSubject(decision, fault);
  }
  return false;
}

/** Whether `decision` is about the fault's subject: its message, its tick (and node, and file), or its effect (and file). */
function sameSubject(decision: Decision, fault: Decision): boolean {
  if ("n" in decision && "n" in fault) return decision.from === fault.from && decision.to === fault.to && decision.n === fault.n;
  if ("invocation" in decision || "invocation" in fault) {
    if (!("invocation" in decision) || !("invocation" in fault)) return false;
    const sameEffect = decision.node === fault.node && decision.invocation === fault.invocation && decision.effect === fault.effect;
    return sameEffect && (fault.file === undefined || decision.file === fault.file);
  }
  if (!("tick" in decision) || !("tick" in fault) || decision.tick !== fault.tick) return false;
  return (fault.node === undefined || decision.node === fault.node) && (fault.file === undefined || decision.file === fault.file);
}

/**
 * One line a decision: `drop a→b #3`, `latency a→b #3 = 4`, `crash s @tick 12`, `order #4 = 2`,
 * `crash-point s @effect 7.3` (the 3rd effect of s's 7th handler invocation).
 */
export function describeDecision(decision: Decision): string {
  const value = isChance(decision.kind) ? "" : ` = ${decision.value}`;
  switch (decision.kind) {
    case "order":
      return `order #${decision.point}${value}`;
    case "drop": case "latency": case "delay": case "delay-ms": case "duplicate": case "duplicate-ms":
      return `${decision.kind} ${decision.from}→${decision.to} #${decision.n}${value}`;
    default: {
      if ("invocation" in decision) {
        return `${decision.kind} ${decision.node}${decision.file === undefined ? "" : `:${decision.file}`} @effect ${decision.invocation}.${decision.effect}${value}`;
      }
      const where = decision.node === undefined ? "" : ` ${decision.node}${decision.file === undefined ? "" : `:${decision.file}`}`;
      return `${decision.kind}${where} @tick ${decision.tick}${value}`;
    }
  }
}

/** A tape as replay files store it: a list of decisions, each a small JSON object. */
export function tapeToJson(tape: Tape): Json {
  return tape.decisions().map((decision) => ({ ...decision }) as Json);
}

/** Tape entries a replay file may hold: a bound, so a hostile file cannot exhaust memory. */
export const TAPE_DECISIONS_MAX = 1_000_000;

/** Parses a replay file's `schedule`; `source` names it in the one-line error of a bad entry. */
export function tapeFromJson(value: unknown, source: string): Tape {
  if (!Array.isArray(value)) throw new UsageError(`${source}: 'schedule' must be a list of decisions`);
  if (value.length > TAPE_DECISIONS_MAX) throw new UsageError(`${source}: 'schedule' holds ${value.length} decisions, more than ${TAPE_DECISIONS_MAX}`);
  const tape = new Tape();
  value.forEach((entry: unknown, index) => tape.set(parseDecision(entry, `${source}: schedule[${index}]`)));
  return tape;
}

const MESSAGE_KEYS: readonly string[] = ["kind", "from", "to", "n", "value"];
const TICK_KEYS: readonly string[] = ["kind", "tick", "node", "file", "value"];
const EFFECT_KEYS: readonly string[] = ["kind", "node", "invocation", "effect", "file", "value"];
const ORDER_KEYS: readonly string[] = ["kind", "point", "value"];

/** Reads a decision from its own properties only: unknown keys, and keys inherited from Object.prototype, are refused. */
function parseDecision(entry: unknown, where: string): Decision {
  if (!isJsonRecord(entry)) throw new UsageError(`${where} must be an object`);
  const own = (name: string): unknown => (Object.hasOwn(entry, name) ? entry[name] : undefined);
  const kind = own("kind");
  const count = (name: string, min: number): number => {
    const field = own(name);
    if (typeof field !== "number" || !Number.isSafeInteger(field) || field < min) throw new UsageError(`${where}: '${name}' must be an integer ≥ ${min}`);
    return field;
  };
  const text = (name: string, optional: boolean): string | undefined => {
    const field = own(name);
    if (field === undefined && optional) return undefined;
    if (typeof field !== "string" || field === "") throw new UsageError(`${where}: '${name}' must be a non-empty string`);
    return field;
  };
  const isEffect = (EFFECT_DECISIONS as readonly unknown[]).includes(kind);
  const allowed = (MESSAGE_DECISIONS as readonly unknown[]).includes(kind) ? MESSAGE_KEYS : (TICK_DECISIONS as readonly unknown[]).includes(kind) ? TICK_KEYS : isEffect ? EFFECT_KEYS : kind === "order" ? ORDER_KEYS : [];
  const unknown = Object.keys(entry).filter((key) => !allowed.includes(key));
  if (unknown.length > 0 && allowed.length > 0) throw new UsageError(`${where}: unknown key '${unknown[0]}' in a '${kind}' decision (known: ${allowed.join(", ")})`);
  const value = count("value", 0);
  if (typeof kind === "string" && isChance(kind as DecisionKind) && value > 1) throw new UsageError(`${where}: a '${kind}' decision's value is 0 or 1`);
  if ((MESSAGE_DECISIONS as readonly unknown[]).includes(kind)) {
    return { kind: kind as MessageDecisionKind, from: text("from", false)!, to: text("to", false)!, n: count("n", 1), value };
  }
  if ((TICK_DECISIONS as readonly unknown[]).includes(kind)) {
    const node = text("node", true);
    const file = text("file", true);
    return { kind: kind as TickDecisionKind, tick: count("tick", 0), ...(node === undefined ? {} : { node }), ...(file === undefined ? {} : { file }), value };
  }
  if (isEffect) {
    const file = text("file", true);
    return { kind: kind as EffectDecisionKind, node: text("node", false)!, invocation: count("invocation", 1), effect: count("effect", 1), ...(file === undefined ? {} : { file }), value };
  }
  if (kind === "order") return { kind: "order", point: count("point", 0), value };
  const known = [...MESSAGE_DECISIONS, ...TICK_DECISIONS, ...EFFECT_DECISIONS, ...ORDER_DECISIONS].join(", ");
  throw new UsageError(`${where}: unknown decision kind ${JSON.stringify(kind)} (known: ${known})`);
}
