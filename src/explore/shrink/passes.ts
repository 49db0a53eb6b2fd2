// The shrinker's passes. Each proposes smaller executions through Shrinker.offer, which keeps one
// only when it still breaks the invariant, with no more events than the original, and is smaller.
// They read what a decision is from core/tape.ts's table (fault, magnitude, free; its subject; its
// scale), never a kind by name, so a new decision kind shrinks without a change here.

import { atPosition, belongsTo, DECISION_KINDS, isChance, isFree, questionKey, type Decision, type Tape } from "../../core/tape.ts";
import { searchBounded } from "../bounded.ts";
import { candidateOf, gentlestValue, inAskedOrder } from "./candidate.ts";
import type { Shrinker } from "./shrinker.ts";

/** The tape without these faults and the magnitudes (and faults, a crash's torn writes) that belong to them. */
export function withoutFaults(tape: Tape, faults: readonly Decision[]): Tape {
  const all = tape.decisions();
  return tape.without([...faults, ...all.filter((decision) => faults.some((fault) => belongsTo(decision, fault)))]);
}

/**
 * Smaller sizes (fewer messages, operations, clients), down to their declared minimums: every size
 * at its minimum at once; else each in turn, its minimum first, then a binary search between it and
 * the current size. (A failure may survive both sizes cut together and neither alone.)
 */
export function shrinkSizes(shrinker: Shrinker): void {
  const declared = shrinker.scenario.sizes ?? {};
  const names = Object.keys(declared).sort();
  const minimums = Object.fromEntries(names.map((name) => [name, declared[name]!.min]));
  if (names.filter((name) => shrinker.sizes[name]! > declared[name]!.min).length > 1 && shrinker.offer(shrinker.current.tape, minimums)) return;
  for (const name of names) {
    const min = declared[name]!.min;
    let good = shrinker.sizes[name]!;
    if (good <= min || shrinker.offer(shrinker.current.tape, { ...shrinker.sizes, [name]: min })) continue;
    let bad = min;
    while (good - bad > 1 && !shrinker.exhausted) {
      const middle = (bad + good) >> 1;
      if (shrinker.offer(shrinker.current.tape, { ...shrinker.sizes, [name]: middle })) good = middle;
      else bad = middle;
    }
  }
}

/** Every free decision back to its gentlest in one step: the base latency, the heap's order. */
export function dropFreeDecisions(shrinker: Shrinker): void {
  const free = shrinker.current.tape.decisions().filter((decision) => isFree(decision.kind));
  if (free.length > 0) shrinker.offer(shrinker.current.tape.without(free));
}

/**
 * Free decisions taken off in chunks, halving down to one at a time, within `eventsTotalMax` more
 * events: when the failure needs some jitter, the rest goes.
 */
export function thinFreeDecisions(shrinker: Shrinker, eventsTotalMax: number): void {
  const stopAt = shrinker.events + eventsTotalMax;
  let chunkSize = Math.max(1, shrinker.current.freeCount >> 1);
  for (;;) {
    const free = inAskedOrder(shrinker.current, (decision) => isFree(decision.kind));
    if (free.length === 0) return;
    chunkSize = Math.min(chunkSize, free.length);
    for (let start = free.length - chunkSize; start > -chunkSize; start -= chunkSize) {
      if (shrinker.exhausted || shrinker.events >= stopAt) return;
      const chunk = free.slice(Math.max(0, start), start + chunkSize);
      if (chunk.every((decision) => shrinker.current.tape.has(decision))) shrinker.offer(shrinker.current.tape.without(chunk));
    }
    if (chunkSize === 1) return;
    chunkSize >>= 1;
  }
}

/**
 * Delta debugging over the faults (a fault takes its magnitudes with it), in the order they were
 * asked: no fault at all; then, at a granularity of n chunks, keep one chunk only, else take one
 * chunk off; finer chunks when neither works, down to one fault at a time (1-minimal).
 */
export function removeFaults(shrinker: Shrinker): void {
  const faultsNow = () => inAskedOrder(shrinker.current, (decision) => isChance(decision.kind));
  if (faultsNow().length === 0 || shrinker.offer(withoutFaults(shrinker.current.tape, faultsNow()))) return;
  let granularity = 2;
  while (!shrinker.exhausted) {
    const faults = faultsNow();
    if (faults.length <= 1) return;
    granularity = Math.min(granularity, faults.length);
    const chunks = split(faults, granularity);
    const keepOnly = (chunk: readonly Decision[]) => withoutFaults(shrinker.current.tape, faults.filter((fault) => !chunk.includes(fault)));
    let reduced = chunks.some((chunk) => shrinker.offer(keepOnly(chunk)));
    if (reduced) granularity = 2;
    else if (chunks.length > 2) {
      reduced = chunks.some((chunk) => shrinker.offer(withoutFaults(shrinker.current.tape, chunk)));
      if (reduced) granularity = Math.max(2, granularity - 1);
    }
    if (reduced) continue;
    if (granularity >= faults.length) return;
    granularity = Math.min(faults.length, granularity * 2);
  }
}

/**
 * Each magnitude nearer its gentlest answer: the gentlest first, then a binary search between it
 * and the current value (shorter delays and partitions, quicker restarts, fewer torn bytes). A
 * `choice` (which cut) has no gentler value and stays.
 */
export function shortenMagnitudes(shrinker: Shrinker): void {
  const magnitudes = inAskedOrder(shrinker.current, (decision) => DECISION_KINDS[decision.kind].role === "magnitude");
  for (const magnitude of magnitudes) {
    if (shrinker.exhausted) return;
    if (DECISION_KINDS[magnitude.kind].scale === "choice") continue;
    const options = optionsOf(shrinker, magnitude);
    if (options === 0) continue;
    const gentlest = gentlestValue(magnitude, options);
    const valueNow = () => shrinker.current.tape.get(magnitude) ?? 0;
    const withValue = (value: number) => shrinker.current.tape.with([{ ...magnitude, value }]);
    if (valueNow() === gentlest || shrinker.offer(withValue(gentlest))) continue;
    let bad = gentlest;
    let good = valueNow();
    while (Math.abs(good - bad) > 1 && !shrinker.exhausted) {
      const middle = Math.trunc((bad + good) / 2);
      if (shrinker.offer(withValue(middle))) good = middle;
      else bad = middle;
    }
  }
}

/**
 * Each fault that has a relief (core/tape.ts: a short delay is latency jitter) replaced by that free
 * decision about the same subject, at each of its values from the largest down: a fault whose
 * effect the ordinary nondeterminism has too is no fault.
 */
export function relieveFaults(shrinker: Shrinker): void {
  const relievable = (decision: Decision) => isChance(decision.kind) && DECISION_KINDS[decision.kind].relief !== undefined;
  for (const fault of inAskedOrder(shrinker.current, relievable)) {
    const tape = shrinker.current.tape;
    if (!tape.has(fault)) continue;
    const relief = { ...fault, kind: DECISION_KINDS[fault.kind].relief! } as Decision;
    const options = optionsOf(shrinker, relief);
    const rest = withoutFaults(tape, [fault]);
    for (let value = options - 1; value > 0 && !shrinker.exhausted; value--) {
      if (shrinker.offer(rest.with([{ ...relief, value }]))) break;
    }
  }
}

/**
 * Faults asked at a fault tick (a crash, a partition, a skew) moved to an earlier tick, with their
 * magnitudes (and a crash's torn writes): tick 0 first, then a binary search between it and the
 * current tick. A moved fault is another question; the tape keeps meaning what it meant elsewhere.
 */
export function moveFaultsEarlier(shrinker: Shrinker): void {
  const movable = (decision: Decision) => isChance(decision.kind) && DECISION_KINDS[decision.kind].subject === "tick" && DECISION_KINDS[decision.kind].owner === undefined;
  for (const fault of inAskedOrder(shrinker.current, movable)) {
    if (shrinker.exhausted) return;
    if (!("tick" in fault) || fault.tick === 0) continue;
    let at: Decision = fault;
    const tryTick = (tick: number): boolean => {
      const tape = shrinker.current.tape;
      if (!tape.has(at)) return false;
      const going = [at, ...tape.decisions().filter((decision) => belongsTo(decision, at))];
      const rest = tape.without(going);
      const arriving = going.map((decision) => atPosition(decision, tick));
      if (arriving.some((decision) => rest.has(decision)) || !shrinker.offer(rest.with(arriving))) return false;
      at = arriving[0]!;
      return true;
    };
    if (tryTick(0)) continue;
    let bad = 0;
    let good = fault.tick;
    while (good - bad > 1 && !shrinker.exhausted) {
      const middle = (bad + good) >> 1;
      if (tryTick(middle)) good = middle;
      else bad = middle;
    }
  }
}

/** The first horizon of the search from below among early questions; each next one doubles it. */
const HORIZON_FIRST = 16;

/**
 * From below: the bounded search (bounded.ts) at the current sizes, from the gentlest schedule, over
 * schedules with fewer faults than the current one. First every question, level by level while the
 * executions left can finish a level: what it searches whole proves no schedule with fewer faults
 * breaks the invariant there (magnitudes at the points it tries, no jitter); its result is returned.
 * Then, while executions are left, only early questions (the first 16 asked, 32, 64, ...): a
 * failure that needs faults early is found without searching whole levels.
 */
export function searchFewerFaults(shrinker: Shrinker): number {
  const search = (horizon: number) => {
    const sizes = shrinker.sizes;
    const found = searchBounded({
      ...shrinker.specAt(sizes),
      faultsMax: shrinker.current.faultCount - 1,
      executionsMax: shrinker.left.executions,
      eventsTotalMax: shrinker.left.events,
      invariant: shrinker.invariant,
      accept: (result) => shrinker.keeps(result),
      wholeLevelsOnly: true,
      horizon,
      skipScenarioTrouble: true,
      reference: shrinker.referenceAt(sizes),
    });
    shrinker.spend(found.executions, found.events);
    const counterexample = found.counterexample;
    const kept = counterexample !== null && shrinker.consider(candidateOf(counterexample.tape, counterexample.asked, counterexample.result));
    return { found, kept };
  };
  const whole = search(Infinity);
  if (whole.kept || whole.found.complete) return whole.found.faultsLowerBound;
  // Each horizon searched whole earns the next, twice as far; one it cannot finish ends the search.
  for (let horizon = HORIZON_FIRST; !shrinker.exhausted; horizon *= 2) {
    const early = search(horizon);
    if (early.kept || !early.found.complete) break;
  }
  return whole.found.faultsLowerBound;
}

function optionsOf(shrinker: Shrinker, decision: Decision): number {
  const key = questionKey(decision);
  return shrinker.current.asked.find((asked) => questionKey(asked.decision) === key)?.options ?? 0;
}

function split<T>(items: readonly T[], parts: number): T[][] {
  const chunks: T[][] = [];
  for (let part = 0; part < parts; part++) {
    const chunk = items.slice(Math.floor((part * items.length) / parts), Math.floor(((part + 1) * items.length) / parts));
    if (chunk.length > 0) chunks.push(chunk);
  }
  return chunks;
}
