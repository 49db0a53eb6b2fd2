// Bounded search with faults: breadth-first over the schedule tape's fault decisions, fewest faults
// first, so the first counterexample it finds is a shortest one (as stateright's breadth-first
// checker finds the shortest path to a violation).
//
// Level k holds every schedule with exactly k faults: k fault questions answered yes (a drop, a
// crash, a torn write: whatever kinds the fault profile turns on, read from core/tape.ts), each
// magnitude of a fault tried at a few points of its range (magnitudeValues), every free decision at
// its gentlest (no latency jitter, the event heap's delivery order). A schedule's children each set
// one more decision, asked after the last one their parent set; so each schedule is generated once
// (the runs agree up to its last decision, and each question is asked at most once per run).
//
// Stateless: every schedule is executed from the start. Bounds: `faultsMax`, `executionsMax` and
// `eventsTotalMax` (the events of all executions together); levels searched whole are reported (`faultsLowerBound`: no schedule with fewer faults breaks it).

import { DECISION_KINDS, isChance, Tape, type Decision, type DecisionKind } from "../core/tape.ts";
import { computeReference, execute, type ExecutionResult, type Reference } from "../execution/execute.ts";
import { isScenarioTrouble } from "../execution/scenarioStep.ts";
import { findVariant, specOf, type ExecutionSpec, type SpecInput } from "../execution/spec.ts";
import { RecordingChooser, TapeChooser } from "../kernel/choosers.ts";

export const DEFAULT_BOUNDED_EXECUTIONS_MAX = 20_000;
/** The profile of a search not given one: every fault kind on (only on or off matters, and the timing). */
export const DEFAULT_BOUNDED_FAULTS = "heavy";
/** A `choice` magnitude (which cut) with at most this many values is tried at each; a larger one at this many. */
export const CHOICE_VALUES_MAX = 16;

/** The execution to search around (its seed draws the nodes' own streams; faults default to `heavy`). */
export interface BoundedRequest extends SpecInput {
  /** Faults per schedule. */
  readonly faultsMax: number;
  /** Executions before the search stops. */
  readonly executionsMax?: number;
  /** Events of all executions together before the search stops (default: unbounded). */
  readonly eventsTotalMax?: number;
  /** The invariant a counterexample must break (default: any divergence). */
  readonly invariant?: string;
  /** A further condition on a counterexample (the shrinker's: no more events than it started from). */
  readonly accept?: (result: ExecutionResult) => boolean;
  /**
   * Start no level the executions left cannot finish: a level searched in part proves nothing about
   * its fault count (the shrinker's choice; the CLI searches as far as it can).
   */
  readonly wholeLevelsOnly?: boolean;
  /**
   * Only questions among the first `horizon` a run asks may be set: every schedule whose faults all
   * strike early, searched before any later one (the shrinker's heuristic when whole levels cost
   * too much). Default: every question.
   */
  readonly horizon?: number;
  /**
   * Skip a schedule on which the scenario itself breaks (a scenario error, ambient time) as no
   * counterexample (the shrinker's choice). Default: the error ends the search, as it ends a run.
   */
  readonly skipScenarioTrouble?: boolean;
  /** The reference, if the caller has it already. */
  readonly reference?: Reference;
}

/** One question an execution asked, with its answer and its range. */
export interface Asked {
  readonly decision: Decision;
  /** How many answers it had: 2 for a fault, the count for a magnitude; 0 for an order point. */
  readonly options: number;
}

/** Every question a recorded execution asked, with its range. */
export function askedOf(recorder: RecordingChooser): Asked[] {
  return recorder.asked.map((decision, index) => ({ decision, options: recorder.options[index]! }));
}

/** One execution of the search: its schedule, what it asked, and its result. */
export interface BoundedRun {
  readonly tape: Tape;
  readonly asked: readonly Asked[];
  readonly result: ExecutionResult;
  readonly faults: number;
}

export interface LevelSummary {
  /** The level's fault count. */
  readonly faults: number;
  /** Schedules of this level executed. */
  readonly schedules: number;
  /** Whether every schedule of the level was executed. */
  readonly complete: boolean;
}

export interface BoundedResult {
  readonly reference: Reference;
  /** The first schedule found that breaks the invariant: one with the fewest faults. */
  readonly counterexample: BoundedRun | null;
  /** No schedule with fewer faults than this breaks it: the levels below were searched whole. */
  readonly faultsLowerBound: number;
  /** Whether the answer is exact: a counterexample found, or every level up to faultsMax searched whole. */
  readonly complete: boolean;
  readonly levels: readonly LevelSummary[];
  readonly executions: number;
  /** Events of every execution, summed. */
  readonly events: number;
  /** Whether it stopped at `executionsMax` or `eventsTotalMax`. */
  readonly budgetReached: boolean;
}

/** The values the search tries for a magnitude with `options` possible answers. */
export function magnitudeValues(kind: DecisionKind, options: number): number[] {
  const top = options - 1;
  if (top <= 0) return [0];
  const scale = DECISION_KINDS[kind].scale ?? "length";
  if (scale === "choice") {
    const count = Math.min(options, CHOICE_VALUES_MAX);
    return unique(Array.from({ length: count }, (_unused, index) => Math.round((index * top) / (count - 1))));
  }
  if (scale === "signed") return unique([0, top >> 1, top]);
  return [0, top];
}

/** A decision a child sets on its parent's tape, and where the parent's run asked it. */
interface Choice {
  readonly decision: Decision;
  readonly position: number;
}

/** A parent's schedule and the children to make from it (null: the schedule itself, the root). */
interface Expansion {
  readonly tape: Tape;
  readonly choices: readonly (Choice | null)[];
}

export function searchBounded(request: BoundedRequest): BoundedResult {
  return new BoundedSearch(request).search();
}

class BoundedSearch {
  private readonly spec: ExecutionSpec;
  private readonly reference: Reference;
  private readonly executionsMax: number;
  private readonly eventsTotalMax: number;
  private executions = 0;
  private events = 0;

  constructor(private readonly request: BoundedRequest) {
    findVariant(request.scenario, request.variant);
    this.spec = specOf({ ...request, faults: request.faults ?? DEFAULT_BOUNDED_FAULTS });
    this.reference = request.reference ?? computeReference(this.spec);
    this.executionsMax = request.executionsMax ?? DEFAULT_BOUNDED_EXECUTIONS_MAX;
    this.eventsTotalMax = request.eventsTotalMax ?? Infinity;
  }

  private get spent(): boolean {
    return this.executions >= this.executionsMax || this.events >= this.eventsTotalMax;
  }

  /** Executions the budget still affords, at the events an execution has cost so far. */
  private get affordable(): number {
    const eventsEach = this.executions === 0 ? 1 : Math.max(1, this.events / this.executions);
    return Math.max(0, Math.min(this.executionsMax - this.executions, Math.floor((this.eventsTotalMax - this.events) / eventsEach)));
  }

  search(): BoundedResult {
    const { faultsMax } = this.request;
    const levels: LevelSummary[] = [];
    let level: Expansion[] = [{ tape: new Tape(), choices: [null] }];
    let levelCount = 1;
    let levelWhole = true;
    for (let faults = 0; faults <= faultsMax; faults++) {
      if (this.request.wholeLevelsOnly === true && (!levelWhole || levelCount > this.affordable)) break;
      const next: Expansion[] = [];
      let nextCount = 0;
      let nextWhole = true;
      let schedules = 0;
      for (let index = 0; index < level.length; index++) {
        const expansion = level[index]!;
        for (const choice of expansion.choices) {
          if (this.spent) {
            levels.push({ faults, schedules, complete: false });
            return this.result(levels, null, false);
          }
          const run = this.run(choice === null ? expansion.tape : expansion.tape.with([choice.decision]), faults);
          schedules++;
          if (run === undefined) continue;
          if (this.breaks(run.result)) {
            levels.push({ faults, schedules, complete: false });
            return this.result(levels, run, true);
          }
          const { same, deeper } = this.alternatives(run, choice?.position ?? -1, faults < faultsMax);
          if (same.length > 0) level.push({ tape: run.tape, choices: same });
          if (deeper.length === 0) continue;
          // Children no execution left could run are not kept; the next level is then not whole.
          if (nextCount >= this.affordable) nextWhole = false;
          else {
            next.push({ tape: run.tape, choices: deeper });
            nextCount += deeper.length;
          }
        }
      }
      levels.push({ faults, schedules, complete: levelWhole });
      // No schedule has more faults: every one was searched.
      if (levelWhole && nextCount === 0 && nextWhole) return this.result(levels, null, true);
      if (!levelWhole) return this.result(levels, null, false);
      level = next;
      levelCount = nextCount;
      levelWhole = nextWhole;
    }
    return this.result(levels, null, levels.length === faultsMax + 1 && levels.every((level) => level.complete));
  }

  /** `complete`: a counterexample found (the levels below were whole), or nothing left unsearched. */
  private result(levels: readonly LevelSummary[], counterexample: BoundedRun | null, complete: boolean): BoundedResult {
    let faultsLowerBound = 0;
    for (const level of levels) {
      if (!level.complete) break;
      faultsLowerBound = level.faults + 1;
    }
    if (counterexample !== null) faultsLowerBound = counterexample.faults;
    return {
      reference: this.reference,
      counterexample,
      faultsLowerBound,
      complete,
      levels,
      executions: this.executions,
      events: this.events,
      budgetReached: this.spent,
    };
  }

  /** One schedule from the start; undefined when the scenario broke on it and such schedules are skipped. */
  private run(tape: Tape, faults: number): BoundedRun | undefined {
    const recorder = new RecordingChooser(new TapeChooser(tape));
    this.executions++;
    let result: ExecutionResult;
    try {
      result = execute({ ...this.spec, chooser: recorder }, this.reference);
    } catch (thrown) {
      if (this.request.skipScenarioTrouble === true && isScenarioTrouble(thrown)) return undefined;
      throw thrown;
    }
    this.events += result.events;
    return { tape: recorder.tape(), asked: askedOf(recorder), result, faults };
  }

  private breaks(result: ExecutionResult): boolean {
    const { invariant, accept } = this.request;
    const broken = invariant === undefined ? result.verdict === "diverges" : result.violations.some((violation) => violation.invariant === invariant);
    return broken && (accept === undefined || accept(result));
  }

  /**
   * The children of a run, asked after `after`: another value of a magnitude (same level: it is of
   * the fault set last) and, while the budget allows, one more fault (the next level).
   */
  private alternatives(run: BoundedRun, after: number, faultAllowed: boolean): { same: Choice[]; deeper: Choice[] } {
    const same: Choice[] = [];
    const deeper: Choice[] = [];
    const end = Math.min(run.asked.length, this.request.horizon ?? Infinity);
    for (let position = after + 1; position < end; position++) {
      const { decision, options } = run.asked[position]!;
      const role = DECISION_KINDS[decision.kind].role;
      if (isChance(decision.kind)) {
        if (faultAllowed && decision.value === 0) deeper.push({ decision: { ...decision, value: 1 }, position });
      } else if (role === "magnitude") {
        for (const value of magnitudeValues(decision.kind, options)) {
          if (value !== decision.value) same.push({ decision: { ...decision, value }, position });
        }
      }
    }
    return { same, deeper };
  }
}

function unique(values: readonly number[]): number[] {
  return [...new Set(values)];
}
