// Exhaustive exploration: every schedule of a small scenario, instead of a sample of seeds.
//
// Stateless depth-first search over choice sequences. Each execution replays a prefix of choices
// and then takes option 0 of every further choice, recording how many options each had; the
// search then re-executes from the start once per untried option. At every step where two or
// more deliveries are ready, the chooser hashes the global state; a state already explored is not
// explored again. Its summary (how many complete schedules lead on from it, and how many of
// them end in each logical outcome) is memoized, so the counts are counts of paths through the
// pruned graph: exactly the schedules an unpruned search would count.
//
// Bounds: `depthMax` choices per schedule, `statesMax` distinct states. A schedule cut by a bound
// (or by a cycle back to a state on its own path) is counted as truncated, never as complete.

import type { Decision, Tape } from "../core/tape.ts";
import { computeReference, execute, type ExecutionResult, type Reference } from "../execution/execute.ts";
import { findVariant, REFERENCE_SEED, specOf, type ExecutionSpec, type VariantSpecInput } from "../execution/spec.ts";
import { decisionOf, ExploringChooser, ScheduleCut, type ChoicePoint, type CutReason, type FaultBudget } from "../kernel/exploringChooser.ts";
import { NAMED_PROFILES, type FaultProfile } from "../world/faults.ts";
import { addInto, emptyTotal, leafSummary, sortedOutcomes, truncatedSummary, type ExploredOutcome, type SubtreeSummary } from "./outcomeTree.ts";

export type { ExploredOutcome } from "./outcomeTree.ts";

export const DEFAULT_DEPTH_MAX = 1_000;
export const DEFAULT_STATES_MAX = 100_000;
export const DEFAULT_EXECUTIONS_MAX = 100_000;

/** The variant spec (its faults are the explorer's own) and the bounds of the search. */
export interface ExhaustiveRequest extends Omit<VariantSpecInput, "faults"> {
  /** Drops per schedule (default: unbounded; 0 turns drops off). */
  readonly dropsMax?: number;
  /** Whether the network may duplicate a message (each send at most once). */
  readonly duplicates?: boolean;
  /** Duplicates per schedule (default: unbounded). */
  readonly duplicatesMax?: number;
  /** Choices per schedule before it is cut. */
  readonly depthMax?: number;
  /** Distinct states before the search stops. */
  readonly statesMax?: number;
  /** Executions before the search stops (paths with no branching state evade statesMax). */
  readonly executionsMax?: number;
}

export type SearchBound = "max-depth" | "max-states" | "max-executions";

export interface ExhaustiveResult {
  readonly scenario: string;
  readonly variant: string;
  readonly faults: FaultProfile;
  readonly budget: FaultBudget;
  readonly reference: Reference;
  /** Complete schedules: maximal paths through the choice tree. */
  readonly schedules: number;
  /** Schedules cut short by a bound or a cycle: not counted in `schedules`. */
  readonly truncatedSchedules: number;
  readonly distinctStates: number;
  readonly outcomes: readonly ExploredOutcome[];
  /** The bounds that cut the search short (empty: the search is exhaustive). */
  readonly boundsHit: readonly SearchBound[];
  readonly cycles: number;
  /** Executions the search ran (each from the start). */
  readonly executions: number;
  /** Events of the executions that ran to their end (those cut at a known state are not counted). */
  readonly events: number;
}

/** The fault profile of exploration: drops and duplicates on as branches, no delays, no crashes. */
export function explorationProfile(dropsMax: number, duplicates: boolean): FaultProfile {
  return { ...NAMED_PROFILES.none!, name: "explore", dropProbability: dropsMax > 0 ? 0.5 : 0, duplicateProbability: duplicates ? 0.5 : 0 };
}

type Run =
  | { readonly points: readonly ChoicePoint[]; readonly end: "complete"; readonly result: ExecutionResult; readonly schedule: Tape }
  | { readonly points: readonly ChoicePoint[]; readonly end: CutReason; readonly stateHash: string };

export function exploreExhaustively(request: ExhaustiveRequest): ExhaustiveResult {
  return new ExhaustiveSearch(request).explore();
}

class ExhaustiveSearch {
  private readonly faults: FaultProfile;
  /** The spec of every execution: the reference seed, the exploration profile; the chooser decides. */
  private readonly spec: ExecutionSpec;
  private readonly budget: FaultBudget;
  private readonly reference: Reference;
  private readonly depthMax: number;
  private readonly statesMax: number;
  private readonly executionsMax: number;
  private readonly memo = new Map<string, SubtreeSummary>();
  private readonly states = new Set<string>();
  private readonly boundsHit = new Set<SearchBound>();
  private cycles = 0;
  private executions = 0;
  private events = 0;

  constructor(private readonly request: ExhaustiveRequest) {
    findVariant(request.scenario, request.variant);
    const dropsMax = request.dropsMax ?? Infinity;
    const duplicates = request.duplicates ?? false;
    this.faults = explorationProfile(dropsMax, duplicates);
    this.budget = { dropsMax, duplicatesMax: duplicates ? (request.duplicatesMax ?? Infinity) : 0 };
    this.spec = specOf({ ...request, seed: REFERENCE_SEED, faults: this.faults });
    this.reference = computeReference({ ...this.spec, faults: "none" });
    this.depthMax = request.depthMax ?? DEFAULT_DEPTH_MAX;
    this.statesMax = request.statesMax ?? DEFAULT_STATES_MAX;
    this.executionsMax = request.executionsMax ?? DEFAULT_EXECUTIONS_MAX;
  }

  explore(): ExhaustiveResult {
    const total = this.walk(this.run([]), 0);
    return {
      scenario: this.request.scenario.name,
      variant: this.request.variant,
      faults: this.faults,
      budget: this.budget,
      reference: this.reference,
      schedules: total.schedules,
      truncatedSchedules: total.truncated,
      distinctStates: this.states.size,
      outcomes: sortedOutcomes(total),
      boundsHit: [...this.boundsHit].sort(),
      cycles: this.cycles,
      executions: this.executions,
      events: this.events,
    };
  }

  /** The summary of the subtree at choice `position` of `run`, exploring the untried options. */
  private walk(run: Run, position: number): SubtreeSummary {
    if (position === run.points.length) return this.endOf(run);
    const point = run.points[position]!;
    const stateHash = point.stateHash;
    if (stateHash !== undefined) {
      const known = this.memo.get(stateHash);
      if (known !== undefined) return known;
    }
    const total = emptyTotal();
    addInto(total, this.walk(run, position + 1));
    for (let option = 1; option < point.options; option++) {
      if (this.executions >= this.executionsMax) this.boundsHit.add("max-executions");
      if (this.boundsHit.has("max-states") || this.boundsHit.has("max-executions")) {
        addInto(total, truncatedSummary());
        continue;
      }
      const prefix: Decision[] = run.points.slice(0, position).map(decisionOf);
      prefix.push({ ...decisionOf(point), value: option } as Decision);
      addInto(total, this.walk(this.run(prefix), position + 1));
    }
    if (stateHash !== undefined) this.memo.set(stateHash, total);
    return total;
  }

  private endOf(run: Run): SubtreeSummary {
    if (run.end === "complete") return leafSummary(run.result, run.schedule);
    if (run.end === "known") return this.memo.get(run.stateHash)!;
    if (run.end === "cycle") this.cycles++;
    else this.boundsHit.add(run.end);
    return truncatedSummary();
  }

  /** One execution from the start: the prefix's choices, then option 0 until it ends or is cut. */
  private run(prefix: readonly Decision[]): Run {
    const chooser = new ExploringChooser(prefix, this.budget, (stateHash, depth) => this.gate(stateHash, depth), this.depthMax);
    this.executions++;
    try {
      const result = execute({ ...this.spec, chooser }, this.reference);
      this.events += result.events;
      if (chooser.depthReached) return { points: chooser.points, end: "max-depth", stateHash: "" };
      return { points: chooser.points, end: "complete", result, schedule: chooser.tape() };
    } catch (thrown) {
      if (!(thrown instanceof ScheduleCut)) throw thrown;
      return { points: chooser.points, end: thrown.reason, stateHash: thrown.stateHash };
    }
  }

  /** Whether an execution goes on from a state it reached past its prefix. */
  private gate(stateHash: string, depth: number): CutReason | undefined {
    if (this.memo.has(stateHash)) return "known";
    if (this.states.has(stateHash)) return "cycle";
    if (depth >= this.depthMax) return "max-depth";
    if (this.states.size >= this.statesMax) return "max-states";
    this.states.add(stateHash);
    return undefined;
  }
}
