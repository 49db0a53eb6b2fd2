// A shrink candidate: one execution of a tape at some sizes, measured by the shrinker's objective.
// Smaller is, in order: fewer faults; fewer events; fewer free decisions away from their gentlest
// (latency jitter, reordered deliveries); smaller sizes; magnitudes nearer their gentlest; faults
// earlier (their ticks, their messages' places on their channels).

import { DECISION_KINDS, isChance, isFree, positionOf, questionKey, type Decision, type Tape } from "../../core/tape.ts";
import type { ExecutionResult } from "../../execution/execute.ts";
import type { Asked } from "../bounded.ts";

export interface ShrinkCandidate {
  /** The tape that replays this execution exactly (only what it asked). */
  readonly tape: Tape;
  /** Every question the execution asked, with its answer and its range, in the order asked. */
  readonly asked: readonly Asked[];
  readonly result: ExecutionResult;
  /** Fault decisions answered yes. */
  readonly faultCount: number;
  /** Free decisions away from their gentlest answer: latency jitter, reordered deliveries. */
  readonly freeCount: number;
  /** The scenario's declared sizes it ran at, summed. */
  readonly sizeSum: number;
  /** How far each magnitude is from its gentlest answer, summed. */
  readonly magnitudeSum: number;
  /** Where the faults sit (ticks, places on their channels), summed. */
  readonly positionSum: number;
}

export function candidateOf(tape: Tape, asked: readonly Asked[], result: ExecutionResult): ShrinkCandidate {
  const optionsOf = new Map(asked.map((entry) => [questionKey(entry.decision), entry.options]));
  let faultCount = 0;
  let freeCount = 0;
  let magnitudeSum = 0;
  let positionSum = 0;
  for (const decision of tape.decisions()) {
    if (isChance(decision.kind)) {
      faultCount++;
      positionSum += positionOf(decision);
    } else if (isFree(decision.kind)) freeCount++;
    else magnitudeSum += distanceFromGentlest(decision, optionsOf.get(questionKey(decision)) ?? 0);
  }
  const sizeSum = Object.values(result.sizes).reduce((total, size) => total + size, 0);
  return { tape, asked, result, faultCount, freeCount, sizeSum, magnitudeSum, positionSum };
}

/** The gentlest answer of a magnitude with `options` answers: 0, or the middle of a signed one. */
export function gentlestValue(decision: Decision, options: number): number {
  return DECISION_KINDS[decision.kind].scale === "signed" ? Math.max(0, options - 1) >> 1 : 0;
}

function distanceFromGentlest(decision: Decision, options: number): number {
  return Math.abs(decision.value - gentlestValue(decision, options));
}

/** The objective, as a key compared in order. */
function objective(candidate: ShrinkCandidate): readonly number[] {
  const { faultCount, result, freeCount, sizeSum, magnitudeSum, positionSum } = candidate;
  return [faultCount, result.events, freeCount, sizeSum, magnitudeSum, positionSum];
}

export function smaller(candidate: ShrinkCandidate, than: ShrinkCandidate): boolean {
  const mine = objective(candidate);
  const theirs = objective(than);
  for (let index = 0; index < mine.length; index++) {
    if (mine[index] !== theirs[index]) return mine[index]! < theirs[index]!;
  }
  return false;
}

/** The decisions of the tape in the order the execution asked them (the tape's order for any it did not). */
export function inAskedOrder(candidate: ShrinkCandidate, keep: (decision: Decision) => boolean): Decision[] {
  const onTape = new Set(candidate.tape.decisions().filter(keep).map(questionKey));
  const ordered: Decision[] = [];
  for (const { decision } of candidate.asked) {
    const key = questionKey(decision);
    if (onTape.delete(key)) ordered.push(decision);
  }
  return ordered;
}
