// The shrinker's state: the execution it started from, the best one so far, the invariant it must
// keep broken and the executions it may spend. Every pass (passes.ts) proposes tapes and sizes
// through `offer`, which executes them and keeps one only when it still breaks the invariant, has
// no more events than the execution it started from, and is smaller (candidate.ts).

import { canonicalJson } from "../../core/hash.ts";
import { DsimBug, UsageError } from "../../core/errors.ts";
import type { Scenario, Sizes } from "../../core/scenario.ts";
import type { Chooser, Tape } from "../../core/tape.ts";
import { computeReference, execute, type ExecutionResult, type Reference } from "../../execution/execute.ts";
import { isScenarioTrouble } from "../../execution/scenarioStep.ts";
import { resolveSizes } from "../../execution/sizes.ts";
import { specOf, type ExecutionSpec, type SpecInput } from "../../execution/spec.ts";
import type { Violation } from "../../execution/verdict.ts";
import { RandomChooser, RecordingChooser, TapeChooser } from "../../kernel/choosers.ts";
import { askedOf } from "../bounded.ts";
import { candidateOf, smaller, type ShrinkCandidate } from "./candidate.ts";

/**
 * The budget of one shrink: executions, and events of all its executions together (so a cheap
 * scenario gets many more executions than an expensive one). Reaching either is reported, and the
 * best so far is kept.
 */
export const SHRINK_EXECUTIONS_MAX = 20_000;
export const SHRINK_EVENTS_TOTAL_MAX = 2_000_000;

export interface ShrinkRequest extends SpecInput {
  /** Where to start: a schedule (a replay file's); absent, the seed's own draws. */
  readonly schedule?: Tape | null;
  readonly executionsMax?: number;
  readonly eventsTotalMax?: number;
  /** The invariant to keep broken; it must be one the execution breaks. Default: the first it broke. */
  readonly invariant?: string;
}

/**
 * The invariant an execution broke first: its first named invariant, else the first violation
 * (the difference from the reference, a budget, a handler error). Failure pages lead with the same
 * (report/headline.ts, a floor above, applies this rule to the violation itself).
 */
export function firstInvariant(violations: readonly Violation[]): string | undefined {
  return (violations.find((violation) => violation.invariant !== "logical-trace") ?? violations[0])?.invariant;
}

export class Shrinker {
  readonly original: ShrinkCandidate;
  current: ShrinkCandidate;
  /** The invariant every kept candidate breaks. */
  readonly invariant: string;
  readonly executionsMax: number;
  readonly eventsTotalMax: number;
  executions = 0;
  /** Events of every execution spent, summed. */
  events = 0;
  readonly scenario: Scenario<any>;
  private readonly spec: ExecutionSpec;
  private readonly references = new Map<string, Reference>();

  constructor(request: ShrinkRequest) {
    this.spec = specOf(request);
    this.scenario = this.spec.scenario;
    this.executionsMax = request.executionsMax ?? SHRINK_EXECUTIONS_MAX;
    this.eventsTotalMax = request.eventsTotalMax ?? SHRINK_EVENTS_TOTAL_MAX;
    const schedule = request.schedule ?? null;
    this.original = this.execute(schedule === null ? new RandomChooser(this.spec.seed) : new TapeChooser(schedule), this.spec.sizes);
    const { result } = this.original;
    if (result.verdict === "holds") throw new UsageError(`${result.scenario}/${result.variant} seed ${result.seed} holds: nothing to shrink`);
    const broken = [...new Set(result.violations.map((violation) => violation.invariant))];
    if (request.invariant !== undefined && !broken.includes(request.invariant)) {
      throw new UsageError(`${result.scenario}/${result.variant} seed ${result.seed} does not break '${request.invariant}' (it breaks: ${broken.join(", ")})`);
    }
    this.invariant = request.invariant ?? firstInvariant(result.violations)!;
    const replayed = this.execute(new TapeChooser(this.original.tape), this.original.result.sizes);
    if (replayed.result.physicalHash !== result.physicalHash) {
      throw new DsimBug(`replaying the recorded tape changed the physical hash (${result.physicalHash} → ${replayed.result.physicalHash})`);
    }
    this.current = this.original;
  }

  get exhausted(): boolean {
    return this.executions >= this.executionsMax || this.events >= this.eventsTotalMax;
  }

  /** What is left of the budget: executions, and events. */
  get left(): { readonly executions: number; readonly events: number } {
    return { executions: Math.max(0, this.executionsMax - this.executions), events: Math.max(0, this.eventsTotalMax - this.events) };
  }

  get sizes(): Sizes {
    return this.current.result.sizes;
  }

  /** The spec of an execution at these sizes (the seed, workload and profile never change). */
  specAt(sizes: Sizes): ExecutionSpec {
    return { ...this.spec, sizes };
  }

  /** The reference at these sizes (each computed once). */
  referenceAt(sizes: Sizes): Reference {
    const key = canonicalJson(resolveSizes(this.scenario, sizes));
    let reference = this.references.get(key);
    if (reference === undefined) {
      reference = computeReference(this.specAt(sizes));
      this.references.set(key, reference);
    }
    return reference;
  }

  /** Whether an execution keeps the failure: it breaks the invariant, with no more events than the original. */
  keeps(result: ExecutionResult): boolean {
    return result.events <= this.original.result.events && result.violations.some((violation) => violation.invariant === this.invariant);
  }

  /**
   * Executes the tape (at other sizes, if given) and keeps it when it keeps the failure and is
   * smaller than the current one. Nothing runs once the executions are spent. True when kept.
   */
  offer(tape: Tape, sizes: Sizes = this.sizes): boolean {
    if (this.exhausted) return false;
    const candidate = this.attempt(new TapeChooser(tape), sizes);
    return candidate !== undefined && this.consider(candidate);
  }

  /** Keeps a candidate executed elsewhere (the bounded search's) on the same terms as `offer`. */
  consider(candidate: ShrinkCandidate): boolean {
    if (!this.keeps(candidate.result) || !smaller(candidate, this.current)) return false;
    this.current = candidate;
    return true;
  }

  /** Counts executions (and their events) spent elsewhere for this shrink (the bounded search's). */
  spend(executions: number, events: number): void {
    this.executions += executions;
    this.events += events;
  }

  /**
   * The candidate a chooser gives, or nothing if the scenario itself breaks on that schedule (a
   * scenario error, ambient time): no such schedule diverges the same way.
   */
  private attempt(chooser: Chooser, sizes: Sizes): ShrinkCandidate | undefined {
    try {
      return this.execute(chooser, sizes);
    } catch (thrown) {
      if (isScenarioTrouble(thrown)) return undefined;
      throw thrown;
    }
  }

  private execute(chooser: Chooser, sizes: Sizes): ShrinkCandidate {
    this.executions++;
    const recorder = new RecordingChooser(chooser);
    const result = execute({ ...this.specAt(sizes), chooser: recorder }, this.referenceAt(sizes));
    this.events += result.events;
    return candidateOf(recorder.tape(), askedOf(recorder), result);
  }
}
