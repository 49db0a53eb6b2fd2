// The enumerating chooser of exhaustive exploration. It follows a recorded prefix of choices, then
// answers the first option (0) of every further choice and records how many options there were,
// so the explorer knows where to branch. Fault decisions (drop, duplicate, crash...) branch in two,
// within the fault budget; magnitudes (delays, restart times) are not enumerated (always 0); the
// delivery order branches over every ready delivery. The schedule it followed is a tape like any
// other (`tape()`), so a replay file of an explored schedule replays through the TapeChooser.

import { questionKey, Tape, type Chooser, type Decision, type DeliveryChoice, type Question } from "../core/tape.ts";

/** One choice an execution made, with how many options it had. */
export type ChoicePoint = Decision & {
  readonly options: number;
  /** On delivery-order points past the prefix: the global state's hash, fault budget included. */
  readonly stateHash?: string;
};

/** How many faults of each budgeted kind one schedule may have (Infinity: unbounded). */
export interface FaultBudget {
  readonly dropsMax: number;
  readonly duplicatesMax: number;
}

export const UNBOUNDED_FAULTS: FaultBudget = { dropsMax: Infinity, duplicatesMax: Infinity };

/** Why the explorer stopped an execution at a new state: it knows it, or a bound was reached. */
export type CutReason = "known" | "cycle" | "max-depth" | "max-states";

/**
 * Thrown out of the event loop (never out of a handler) to end an execution at a state. Not an
 * Error: the search throws one per pruned branch, and capturing a stack each time is most of
 * the cost of throwing.
 */
export class ScheduleCut {
  constructor(readonly reason: CutReason, readonly stateHash: string) {}
}

/** Asked at each new state past the prefix: a reason to cut there, or undefined to go on. */
export type StateGate = (stateHash: string, depth: number) => CutReason | undefined;

export class ExploringChooser implements Chooser {
  readonly points: ChoicePoint[] = [];
  /** Set when the execution asked for a different choice than the prefix recorded. */
  mismatch: string | undefined;
  /** Set when the schedule reached `choicesMax` and its further faults were forced off. */
  depthReached = false;
  private dropsUsed = 0;
  private duplicatesUsed = 0;
  private readonly statesThisRun = new Set<string>();

  constructor(
    private readonly prefix: readonly Decision[],
    private readonly budget: FaultBudget = UNBOUNDED_FAULTS,
    private readonly gate?: StateGate,
    private readonly choicesMax: number = Infinity,
  ) {}

  chance(question: Question): boolean {
    const kind = question.kind;
    let allowed = kind === "drop" ? this.dropsUsed < this.budget.dropsMax : kind === "duplicate" ? this.duplicatesUsed < this.budget.duplicatesMax : true;
    // Past the depth bound no fault branches any more (a handler cannot be stopped midway).
    if (allowed && this.points.length >= Math.max(this.choicesMax, this.prefix.length)) {
      allowed = false;
      this.depthReached = true;
    }
    const happens = this.decide(question, allowed ? 2 : 1) === 1;
    if (happens && kind === "drop") this.dropsUsed++;
    if (happens && kind === "duplicate") this.duplicatesUsed++;
    return happens;
  }

  below(): number {
    return 0;
  }

  order(question: Question & { readonly kind: "order" }, choice: DeliveryChoice): number {
    const options = choice.readyCount();
    if (options < 2) return 0;
    if (this.points.length < this.prefix.length || this.gate === undefined) return this.decide(question, options);
    const stateHash = `${choice.stateHash()}/${this.budgetLeft()}`;
    const reason = this.statesThisRun.has(stateHash) ? "cycle" : this.gate(stateHash, this.points.length);
    if (reason !== undefined) throw new ScheduleCut(reason, stateHash);
    this.statesThisRun.add(stateHash);
    this.points.push({ ...question, value: 0, options, stateHash });
    return 0;
  }

  /** The schedule followed, as a tape (what a replay file of it records). */
  tape(): Tape {
    return new Tape(this.points.map(decisionOf));
  }

  /** What is left of the budget decides the future, so it is part of the state. */
  private budgetLeft(): string {
    const left = (max: number, used: number): string => (max === Infinity ? "*" : String(max - used));
    return `${left(this.budget.dropsMax, this.dropsUsed)}/${left(this.budget.duplicatesMax, this.duplicatesUsed)}`;
  }

  /** Forced fault decisions (budget spent) are recorded too, so a replay needs no budget. */
  private decide(question: Question, options: number): number {
    const position = this.points.length;
    const recorded = this.prefix[position];
    let value = 0;
    if (recorded !== undefined) {
      if (questionKey(recorded) === questionKey(question) && recorded.value < options) value = recorded.value;
      else this.mismatch ??= `choice ${position}: recorded ${questionKey(recorded)} = ${recorded.value}, the execution asked ${questionKey(question)} (${options} options)`;
    }
    this.points.push({ ...question, value, options } as ChoicePoint);
    return value;
  }
}

/** A choice point without what only the explorer needs. */
export function decisionOf(point: ChoicePoint): Decision {
  const { options: _options, stateHash: _stateHash, ...decision } = point;
  return decision as Decision;
}
