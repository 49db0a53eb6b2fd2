// Shrinking: from a diverging execution to the smallest one that diverges the same way. The
// execution's decisions are recorded as a tape (RecordingChooser) and replayed (TapeChooser) with
// decisions taken off: delta debugging over the faults (a fault takes its own magnitudes with it),
// then each fault alone on the fault-free schedule, then every magnitude set back to 0. Decisions
// are keyed by what they decide, so taking one off never changes what another means. A candidate
// is kept only if it breaks the same invariants and is smaller: fewest faults, then fewest events,
// then smallest magnitudes.

import { describeEvent } from "../core/eventText.ts";
import { DsimBug, UsageError } from "../core/errors.ts";
import type { TraceEvent } from "../core/events.ts";
import type { Scenario } from "../core/scenario.ts";
import { belongsTo, describeDecision, faultsOf, isChance, Tape, type Chooser, type Decision } from "../core/tape.ts";
import { computeReference, execute, type ExecutionResult, type Reference } from "../execution/execute.ts";
import { replaySpec } from "../execution/replay.ts";
import { isScenarioTrouble } from "../execution/scenarioStep.ts";
import { replayOf, shrunkReplayPath, writeReplayFile, type ReplayFile } from "../execution/replayFile.ts";
import { specOf, type ExecutionSpec, type SpecInput } from "../execution/spec.ts";
import { RandomChooser, RecordingChooser, TapeChooser } from "../kernel/choosers.ts";

/** Executions one shrink may spend; reaching it is reported, and the best so far is kept. */
export const SHRINK_EXECUTIONS_MAX = 2000;
/** Rounds of (remove faults, single faults, zero magnitudes); a round that changes nothing ends the shrink. */
const SHRINK_ROUNDS_MAX = 4;

export interface ShrinkRequest extends SpecInput {
  /** Where to start: a schedule (a replay file's); absent, the seed's own draws. */
  readonly schedule?: Tape | null;
  readonly executionsMax?: number;
}

export interface ShrinkCandidate {
  /** The tape that replays this execution exactly. */
  readonly tape: Tape;
  /** Every question the execution asked, with its answer, in order. */
  readonly asked: readonly Decision[];
  readonly result: ExecutionResult;
  /** Fault decisions: chances answered yes. */
  readonly faultCount: number;
  readonly magnitudeSum: number;
}

export interface ShrinkResult {
  /** The reference the executions are judged against. */
  readonly reference: Reference;
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
    reference: shrinker.reference,
    original,
    shrunk,
    invariants: shrinker.invariants,
    executions: shrinker.executions,
    executionsMaxReached: shrinker.exhausted,
    faultEvents: shrunk.result.trace.filter(isFaultEvent),
    delayedMessages: delayedMessages(shrunk.result.trace, shrunk.result.faults.latencyMs),
  };
}

class Shrinker {
  current: ShrinkCandidate;
  executions = 0;
  readonly invariants: readonly string[];
  readonly reference: Reference;
  private readonly executionsMax: number;

  private readonly spec: ExecutionSpec;

  constructor(request: ShrinkRequest) {
    this.spec = specOf(request);
    this.reference = computeReference(this.spec);
    this.executionsMax = request.executionsMax ?? SHRINK_EXECUTIONS_MAX;
    const schedule = request.schedule ?? null;
    this.current = this.run(schedule === null ? new RandomChooser(this.spec.seed) : new TapeChooser(schedule));
    const { result } = this.current;
    if (result.verdict === "holds") throw new UsageError(`${result.scenario}/${result.variant} seed ${result.seed} holds: nothing to shrink`);
    const replayed = this.run(new TapeChooser(this.current.tape));
    if (replayed.result.physicalHash !== result.physicalHash) {
      throw new DsimBug(`replaying the recorded tape changed the physical hash (${result.physicalHash} → ${replayed.result.physicalHash})`);
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
      const faults = faultsOf(this.current.tape);
      if (faults.length === 0) return;
      granularity = Math.min(granularity, faults.length);
      let best: ShrinkCandidate | undefined;
      for (const chunk of split(faults, granularity)) {
        const candidate = this.tryTape(withoutFaults(this.current.tape, chunk));
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
   * From below: run the execution with no fault at all, then with one fault on each question it
   * asked in turn; keep the smallest that diverges the same way. This finds a single fault that
   * the faults taken off together had hidden.
   */
  trySingleFaults(): void {
    if (this.current.faultCount <= 1) return;
    const gentle = withoutFaults(this.current.tape, faultsOf(this.current.tape));
    const base = this.tryTape(gentle);
    if (base !== undefined) {
      if (smaller(base, this.current)) this.current = base;
      return;
    }
    const asked = this.attempt(new TapeChooser(gentle))?.asked ?? [];
    let best: ShrinkCandidate | undefined;
    for (const question of asked) {
      if (this.exhausted) break;
      if (!isChance(question.kind)) continue;
      const candidate = this.tryTape(gentle.with([{ ...question, value: 1 }]));
      if (candidate !== undefined && smaller(candidate, best ?? this.current)) best = candidate;
    }
    if (best !== undefined) this.current = best;
  }

  /** Every magnitude back to 0, one at a time, kept where the divergence stays. */
  zeroMagnitudes(): void {
    for (const decision of this.current.tape.decisions()) {
      if (isChance(decision.kind) || !this.current.tape.has(decision)) continue;
      const candidate = this.tryTape(this.current.tape.without([decision]));
      if (candidate !== undefined && smaller(candidate, this.current)) this.current = candidate;
    }
  }

  /**
   * The candidate this tape gives, if it diverges the same way; nothing once exhausted. A schedule
   * on which the scenario itself breaks (a scenario error, ambient time) is no such candidate.
   */
  private tryTape(tape: Tape): ShrinkCandidate | undefined {
    if (this.exhausted) return undefined;
    const candidate = this.attempt(new TapeChooser(tape));
    return candidate !== undefined && signature(candidate.result).join() === this.invariants.join() ? candidate : undefined;
  }

  /** The candidate a chooser gives, or nothing if the scenario itself breaks on that schedule. */
  private attempt(chooser: Chooser): ShrinkCandidate | undefined {
    try {
      return this.run(chooser);
    } catch (thrown) {
      if (isScenarioTrouble(thrown)) return undefined;
      throw thrown;
    }
  }

  private run(chooser: Chooser): ShrinkCandidate {
    this.executions++;
    const recorder = new RecordingChooser(chooser);
    const result = execute({ ...this.spec, chooser: recorder }, this.reference);
    return candidateOf(recorder, result);
  }
}

function candidateOf(recorder: RecordingChooser, result: ExecutionResult): ShrinkCandidate {
  const tape = recorder.tape();
  let faultCount = 0;
  let magnitudeSum = 0;
  for (const decision of tape.decisions()) {
    if (isChance(decision.kind)) faultCount += decision.value;
    else magnitudeSum += decision.value;
  }
  return { tape, asked: recorder.asked, result, faultCount, magnitudeSum };
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

/** The tape without these faults and the magnitudes that belong to them. */
export function withoutFaults(tape: Tape, faults: readonly Decision[]): Tape {
  const all = tape.decisions();
  return tape.without([...faults, ...all.filter((decision) => faults.some((fault) => belongsTo(decision, fault)))]);
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

/** What a shrink reports (sweep summaries carry it for each first divergence). */
export interface ShrinkReport {
  readonly scenario: string;
  readonly variant: string;
  readonly seed: number;
  readonly from: string;
  readonly shrunkFile: string;
  readonly replay: string;
  readonly invariants: readonly string[];
  readonly faultsBefore: number;
  readonly faultsAfter: number;
  readonly eventsBefore: number;
  readonly eventsAfter: number;
  readonly executions: number;
  readonly executionsMaxReached: boolean;
  /** The faults that remain, one line each. */
  readonly faults: readonly string[];
  /** The shrunk schedule's decisions, one line each. */
  readonly schedule: readonly string[];
}

/** Shrinks a replay file's execution and writes the shrunk one beside it, as `<name>.shrunk.replay.json`. */
export function shrinkReplayFile(scenario: Scenario<any>, replay: ReplayFile, path: string, executionsMax?: number): { report: ShrinkReport; result: ShrinkResult } {
  const result = shrink({ ...replaySpec(scenario, replay), schedule: replay.schedule, ...(executionsMax === undefined ? {} : { executionsMax }) });
  const { original, shrunk } = result;
  const shrunkFile = shrunkReplayPath(path);
  const from = { from: path, faultsBefore: original.faultCount, faultsAfter: shrunk.faultCount, eventsBefore: original.result.events, eventsAfter: shrunk.result.events };
  writeReplayFile(shrunkFile, replayOf(shrunk.result, replay.scenario, shrunk.tape, from));
  const faults = [
    ...result.faultEvents.map((event) => describeEvent(event).trim().replace(/\s+/g, " ")),
    ...result.delayedMessages.map((delayed) => `message #${delayed.messageId} delayed by ${delayed.delayMs} ms`),
  ];
  const report: ShrinkReport = {
    scenario: shrunk.result.scenario,
    variant: shrunk.result.variant,
    seed: shrunk.result.seed,
    ...from,
    shrunkFile,
    replay: `dsim replay ${shrunkFile}`,
    invariants: result.invariants,
    executions: result.executions,
    executionsMaxReached: result.executionsMaxReached,
    faults,
    schedule: shrunk.tape.decisions().map(describeDecision),
  };
  return { report, result };
}
