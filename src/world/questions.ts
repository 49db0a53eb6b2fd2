// The questions the world asks its chooser, made without allocating: one object per question shape,
// reused for every question of that shape. A chooser reads a question while it answers and never
// keeps it (core/tape.ts: Chooser; the recording and exploring choosers copy what they keep), so
// the next question may overwrite the last. A delivery execution asks about 290 questions (230 of
// them at fault ticks); a fresh record for each was 19 KB of its 81 KB allocated, the largest single
// source (bench/allocation.ts).
//
// Each shape keeps its own object, so a question never carries a field of another shape (a tick
// question about the cluster has no `node`, as before): a copy a chooser keeps is the same record
// a literal made. Every field is written before each use, so nothing of one execution reaches the
// next. Single-threaded: a worker thread has its own module and its own objects.

import type { NodeId } from "../core/json.ts";
import type { EffectDecisionKind, MessageDecisionKind, Question, TickDecisionKind } from "../core/tape.ts";

/** One effect of a handler (world/crashPoints.ts's EffectPoint, which imports this file). */
interface Effect {
  readonly node: NodeId;
  readonly invocation: number;
  readonly effect: number;
}

const cluster: { kind: TickDecisionKind; tick: number } = { kind: "partition", tick: 0 };
const ofNode: { kind: TickDecisionKind; tick: number; node: NodeId } = { kind: "crash", tick: 0, node: "" };
const ofFile: { kind: TickDecisionKind; tick: number; node: NodeId; file: string } = { kind: "torn", tick: 0, node: "", file: "" };
const ofMessage: { kind: MessageDecisionKind; from: NodeId; to: NodeId; n: number } = { kind: "drop", from: "", to: "", n: 0 };
const ofEffect: { kind: EffectDecisionKind; node: NodeId; invocation: number; effect: number } = { kind: "crash-point", node: "", invocation: 0, effect: 0 };
const ofEffectFile: { kind: EffectDecisionKind; node: NodeId; invocation: number; effect: number; file: string } = {
  kind: "lost-fsync", node: "", invocation: 0, effect: 0, file: "",
};

/** Fault tick `tick`, for the cluster: `{ kind, tick }`. Valid until the next question of this shape. */
export function tickQuestion(kind: TickDecisionKind, tick: number): Question {
  cluster.kind = kind;
  cluster.tick = tick;
  return cluster;
}

/** Fault tick `tick`, for one node: `{ kind, tick, node }`. */
export function nodeTickQuestion(kind: TickDecisionKind, tick: number, node: NodeId): Question {
  ofNode.kind = kind;
  ofNode.tick = tick;
  ofNode.node = node;
  return ofNode;
}

/** Fault tick `tick`, for one file of a node: `{ kind, tick, node, file }`. */
export function fileTickQuestion(kind: TickDecisionKind, tick: number, node: NodeId, file: string): Question {
  ofFile.kind = kind;
  ofFile.tick = tick;
  ofFile.node = node;
  ofFile.file = file;
  return ofFile;
}

/** The n-th message `from` sent to `to`: `{ kind, from, to, n }`. */
export function messageQuestion(kind: MessageDecisionKind, from: NodeId, to: NodeId, n: number): Question {
  ofMessage.kind = kind;
  ofMessage.from = from;
  ofMessage.to = to;
  ofMessage.n = n;
  return ofMessage;
}

/** An effect of a handler: `{ kind, node, invocation, effect }`. */
export function effectQuestion(kind: EffectDecisionKind, point: Effect): Question {
  ofEffect.kind = kind;
  ofEffect.node = point.node;
  ofEffect.invocation = point.invocation;
  ofEffect.effect = point.effect;
  return ofEffect;
}

/** An effect of a handler about one file: `{ kind, node, invocation, effect, file }`. */
export function effectFileQuestion(kind: EffectDecisionKind, point: Effect, file: string): Question {
  ofEffectFile.kind = kind;
  ofEffectFile.node = point.node;
  ofEffectFile.invocation = point.invocation;
  ofEffectFile.effect = point.effect;
  ofEffectFile.file = file;
  return ofEffectFile;
}
