// Shrinking: from a diverging execution to the smallest one that diverges the same way. The
// execution's fault decisions are recorded (RecordingChooser) and replayed (ReplayChooser) with
// faults taken out: delta debugging over the faults (a chance answered true), then every magnitude
// (how long a delay, which node) set to 0. A candidate is kept only if it breaks the same
// invariants and is smaller: fewest faults, then fewest events, then smallest magnitudes.

import type { ExecutionLimits, Scenario, Sizes } from "../scenario.ts";
import { UsageError } from "../errors.ts";
import { DsimBug } from "../kernel/assert.ts";
import { RandomChooser, RecordingChooser, ReplayChooser, type Chooser, type Decision } from "../kernel/chooser.ts";
import type { FaultProfile } from "../network/faults.ts";
import type { TraceEvent } from "../trace/events.ts";
import { computeReference, execute, type ExecutionResult, type Reference } from "./execute.ts";

/** Executions one shrink may spend; reaching it is reported, and the best so far is kept. */
export const SHRINK_EXECUTIONS_MAX = 2000;

export interface ShrinkRequest {
  readonly scenario: Scenario<any>;
  readonly variant: string;
  readonly seed: number;
  readonly workloadSeed: number;
  readonly faults: FaultProfile;
  readonly limits?: Partial<ExecutionLimits>;
  /** The scenario's sizes, when they differ from its defaults. */
  readonly sizes?: Sizes;
  /** Where to start: recorded decisions (a replay file's); absent, the seed's own draws. */
  readonly decisions?: readonly Decision[];
  readonly executionsMax?: number;
}

export interface ShrinkCandidate {
  /** The decisions that replay this execution exactly (trailing gentlest answers trimmed). */
  readonly decisions: readonly Decision[];
  /** Every question the execution asked, with its answer (decisions before trimming). */
  readonly asked: readonly Decision[];
  readonly result: ExecutionResult;
  /** Fault decisions: chances answered true. */
  readonly faultCount: number;
  readonly magnitudeSum: number;
}

export interface ShrinkResult {
  readonly original: ShrinkCandidate;
  readonly shrunk: ShrinkCandidate;
  /** The violated invariants both share: what "the same kind of divergence" means. */
  readonly invariants: readonly string[];
  readonly executions: number;
  readonly executionsMaxReached: boolean;
  /** The faults left in the shrunk execution, as trace events, and its delayed messages. */
  readonly faultEvents: readonly TraceEvent[];
  readonly delayedMessages: readonly { readonly messageId: number; readonly delayMs: number }[];
}

export function shrink(request: ShrinkRequest): ShrinkResult {
  const shrinker = new Shrinker(request);
  const original = shrinker.current;
  for (let round = 0; round < SHRINK_ROUNDS_MAX; round++) {
    const before = shrinker.current;
    shrinker.removeFaults();
    shrinker.trySingleFaults();
    shrinker.zeroMagnitudes();
    if (shrinker.current === before || shrinker.exhausted) break;
  }
  const shrunk = shrinker.current;
  return {
    original,
    shrunk,
    invariants: shrinker.invariants,
    executions: shrinker.executions,
    executionsMaxReached: shrinker.exhausted,
    faultEvents: shrunk.result.trace.filter(isFaultEvent),
    delayedMessages: delayedMessages(shrunk.result.trace, request.faults.latencyMs),
  };
}

/** Rounds of (remove faults, zero magnitudes); a round that changes nothing ends the shrink. */
const SHRINK_ROUNDS_MAX = 4;

class Shrinker {
  current: ShrinkCandidate;
  executions = 0;
  readonly invariants: readonly string[];
  private readonly reference: Reference;
  private readonly executionsMax: number;

  constructor(private readonly request: ShrinkRequest) {
    this.reference = computeReference(request.scenario, request.variant, request.workloadSeed, request.limits, request.sizes);
    this.executionsMax = request.executionsMax ?? SHRINK_EXECUTIONS_MAX;
    const first = request.decisions === undefined ? new RandomChooser(request.seed) : new ReplayChooser(request.decisions);
    this.current = this.run(first);
    const { result } = this.current;
    if (result.verdict === "holds") throw new UsageError(`${result.scenario}/${result.variant} seed ${result.seed} holds: nothing to shrink`);
    const replayed = this.run(new ReplayChooser(this.current.decisions));
    if (replayed.result.physicalHash !== result.physicalHash) {
      throw new DsimBug(`replaying recorded decisions changed the physical hash (${result.physicalHash} → ${replayed.result.physicalHash})`);
    }
    this.invariants = signature(result);
  }

  get exhausted(): boolean {
    return this.executions >= this.executionsMax;
  }

  /**
   * Delta debugging over the faults: split them in `granularity` chunks, try taking out each
   * chunk, keep the smallest candidate that still diverges the same way; finer chunks when none does.
   */
  removeFaults(): void {
    let granularity = 2;
    for (;;) {
      const faults = faultPositions(this.current.decisions);
      if (faults.length === 0) return;
      granularity = Math.min(granularity, faults.length);
      let best: ShrinkCandidate | undefined;
      for (const chunk of split(faults, granularity)) {
        const candidate = this.tryDecisions(withoutFaults(this.current.decisions, chunk));
        if (candidate !== undefined && smaller(candidate, best ?? this.current)) best = candidate;
      }
      if (this.exhausted && best === undefined) return;
      if (best !== undefined) {
        this.current = best;
        granularity = Math.max(2, granularity - 1);
        continue;
      }
      if (granularity >= faults.length) return;
      granularity = Math.min(faults.length, granularity * 2);
    }
  }

  /**
   * From below: removing faults shifts the questions later faults answer, so a fault can lose the
   * message it hit. Run the execution with no fault at all, then with one fault on each question
   * it asked in turn; keep the smallest that diverges the same way.
   */
  trySingleFaults(): void {
    if (this.current.faultCount <= 1) return;
    const gentle = withoutFaults(this.current.decisions, faultPositions(this.current.decisions));
    const base = this.tryDecisions(gentle);
    if (base !== undefined) {
      this.current = smaller(base, this.current) ? base : this.current;
      return;
    }
    const asked = this.run(new ReplayChooser(gentle)).asked;
    let best: ShrinkCandidate | undefined;
    for (let position = 0; position < asked.length && !this.exhausted; position++) {
      if (asked[position]!.question !== "chance") continue;
      const decisions = asked.slice(0, position + 1);
      decisions[position] = { ...asked[position]!, value: 1 };
      const candidate = this.tryDecisions(decisions);
      if (candidate !== undefined && smaller(candidate, best ?? this.current)) best = candidate;
    }
    if (best !== undefined) this.current = best;
  }

  /** Every magnitude to 0, one at a time, kept where the divergence stays. */
  zeroMagnitudes(): void {
    for (let position = 0; position < this.current.decisions.length; position++) {
      const decision = this.current.decisions[position]!;
      if (decision.question !== "below" || decision.value === 0) continue;
      const decisions = [...this.current.decisions];
      decisions[position] = { ...decision, value: 0 };
      const candidate = this.tryDecisions(decisions);
      if (candidate !== undefined && smaller(candidate, this.current)) this.current = candidate;
    }
  }

  /** The candidate these decisions give, if it diverges the same way; nothing once exhausted. */
  private tryDecisions(decisions: readonly Decision[]): ShrinkCandidate | undefined {
    if (this.exhausted) return undefined;
    const candidate = this.run(new ReplayChooser(decisions));
    return signature(candidate.result).join() === this.invariants.join() ? candidate : undefined;
  }

  private run(chooser: Chooser): ShrinkCandidate {
    this.executions++;
    const recorder = new RecordingChooser(chooser);
    const { scenario, variant, seed, workloadSeed, faults, limits, sizes } = this.request;
    const result = execute({ scenario, variant, seed, workloadSeed, faults, limits, sizes, chooser: recorder }, this.reference);
    return candidateOf(recorder.decisions, result);
  }
}

function candidateOf(recorded: readonly Decision[], result: ExecutionResult): ShrinkCandidate {
  let end = recorded.length;
  while (end > 0 && recorded[end - 1]!.value === 0) end--;
  const decisions = recorded.slice(0, end);
  let faultCount = 0;
  let magnitudeSum = 0;
  for (const decision of decisions) {
    if (decision.question === "chance") faultCount += decision.value;
    else magnitudeSum += decision.value;
  }
  return { decisions, asked: recorded, result, faultCount, magnitudeSum };
}

/** The objective, in order: fewest faults, fewest events, smallest magnitudes. */
function smaller(candidate: ShrinkCandidate, than: ShrinkCandidate): boolean {
  if (candidate.faultCount !== than.faultCount) return candidate.faultCount < than.faultCount;
  if (candidate.result.events !== than.result.events) return candidate.result.events < than.result.events;
  return candidate.magnitudeSum < than.magnitudeSum;
}

function signature(result: ExecutionResult): string[] {
  return [...new Set(result.violations.map((violation) => violation.invariant))].sort();
}

/** Positions of the chances answered true. */
export function faultPositions(decisions: readonly Decision[]): number[] {
  const positions: number[] = [];
  decisions.forEach((decision, position) => {
    if (decision.question === "chance" && decision.value === 1) positions.push(position);
  });
  return positions;
}

/**
 * The decisions with the faults at `positions` answered false, and the magnitudes that belonged to
 * them removed: the draws right after a fault (a crash's torn writes and restart delay with it).
 */
export function withoutFaults(decisions: readonly Decision[], positions: readonly number[]): Decision[] {
  const removed = new Set(positions);
  const kept: Decision[] = [];
  for (let position = 0; position < decisions.length; position++) {
    const decision = decisions[position]!;
    if (!removed.has(position)) {
      kept.push(decision);
      continue;
    }
    kept.push({ ...decision, value: 0 });
    while (position + 1 < decisions.length && belongsTo(decisions[position + 1]!, decision)) position++;
  }
  return kept;
}

/** A fault's own magnitudes; a crash also owns its torn writes and its restart delay. */
function belongsTo(next: Decision, fault: Decision): boolean {
  if (fault.kind === "crash") return next.kind === "torn" || (next.kind === "restart" && next.question === "below");
  return next.kind === fault.kind && next.question === "below";
}

function split<T>(items: readonly T[], parts: number): T[][] {
  const chunks: T[][] = [];
  for (let part = 0; part < parts; part++) {
    const chunk = items.slice(Math.floor((part * items.length) / parts), Math.floor(((part + 1) * items.length) / parts));
    if (chunk.length > 0) chunks.push(chunk);
  }
  return chunks;
}

function isFaultEvent(event: TraceEvent): boolean {
  switch (event.kind) {
    case "drop":
      return event.reason === "fault";
    case "duplicate": case "partition": case "crash": case "torn": case "skew":
      return true;
    default:
      return false;
  }
}

/** Messages that arrived later than the network's latency (and were not duplicated). */
function delayedMessages(trace: readonly TraceEvent[], latencyMs: number): { messageId: number; delayMs: number }[] {
  const sentAtMs = new Map<number, number>();
  const duplicated = new Set<number>();
  const delayed: { messageId: number; delayMs: number }[] = [];
  for (const event of trace) {
    if (event.kind === "send") sentAtMs.set(event.messageId, event.timeMs);
    else if (event.kind === "duplicate") duplicated.add(event.messageId);
    else if ((event.kind === "deliver" || (event.kind === "drop" && event.reason !== "fault")) && !duplicated.has(event.messageId)) {
      const extraMs = event.timeMs - (sentAtMs.get(event.messageId) ?? event.timeMs) - latencyMs;
      if (extraMs > 0) delayed.push({ messageId: event.messageId, delayMs: extraMs });
    }
  }
  return delayed;
}
