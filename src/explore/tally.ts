// The sweep's count: seed outcomes fed in increasing seed order give distinct physical traces,
// distinct logical traces per logical input, divergences and the first one. The serial sweep, the
// worker pool and the merge of shards all feed one SweepTally, which is why their results agree.
// A seed the scenario broke (a scenario error, or ambient time or randomness) is no outcome: it
// stops the tally, and the sweep reports it instead of a verdict.

import { assert } from "../core/errors.ts";
import type { Expectation } from "../core/scenario.ts";
import type { Verdict } from "../execution/execute.ts";
import type { Violation } from "../execution/verdict.ts";

/** What a sweep keeps of one execution: enough to count, merge and compare. */
export interface SeedOutcome {
  readonly seed: number;
  readonly workloadSeed: number;
  readonly physicalHash: string;
  readonly logicalHash: string;
  readonly events: number;
  readonly verdict: Verdict;
  readonly violations: readonly Violation[];
}

/** A seed whose execution the scenario itself broke: not a verdict on the protocol. */
export interface ScenarioTrouble {
  readonly seed: number;
  readonly workloadSeed: number;
  /** "nondeterminism": ambient time or randomness (exit 3); "scenario": anything else (exit 4). */
  readonly kind: "scenario" | "nondeterminism";
  /** One line, naming the user's line where known. */
  readonly message: string;
}

/** What identifies a sweep's counts. */
export interface SweepIdentity {
  readonly scenario: string;
  readonly variant: string;
  readonly expect: Expectation;
  readonly seedFrom: number;
  readonly seedCount: number;
}

export interface SweepCounts extends SweepIdentity {
  /** Seeds actually executed: fewer than seedCount when stopped at the first divergence or sharded. */
  readonly seedsRun: number;
  readonly physicalTraces: number;
  /** Distinct logical traces per logical input: the largest count when the workload varies. */
  readonly logicalTraces: number;
  readonly divergences: number;
  readonly events: number;
  /** The seed the scenario broke, where the sweep stopped; null if none did. */
  readonly scenarioError: ScenarioTrouble | null;
}

/** Counts seed outcomes fed in increasing seed order; stops at the first divergence if asked. */
export class SweepTally {
  readonly outcomes: SeedOutcome[] = [];
  private readonly physical = new Set<string>();
  private readonly logicalByWorkload = new Map<number, Set<string>>();
  private divergenceCount = 0;
  private eventCount = 0;
  private firstDivergenceSeed: number | undefined;
  private trouble: ScenarioTrouble | undefined;

  constructor(private readonly stopAtFirstDivergence: boolean) {}

  get stopped(): boolean {
    return this.trouble !== undefined || (this.stopAtFirstDivergence && this.firstDivergenceSeed !== undefined);
  }

  get divergences(): number {
    return this.divergenceCount;
  }

  get firstDivergence(): number | undefined {
    return this.firstDivergenceSeed;
  }

  add(outcome: SeedOutcome): void {
    this.assertNext(outcome.seed);
    this.outcomes.push(outcome);
    this.physical.add(outcome.physicalHash);
    let logical = this.logicalByWorkload.get(outcome.workloadSeed);
    if (logical === undefined) this.logicalByWorkload.set(outcome.workloadSeed, (logical = new Set()));
    logical.add(outcome.logicalHash);
    this.eventCount += outcome.events;
    if (outcome.verdict === "diverges") {
      this.divergenceCount++;
      this.firstDivergenceSeed ??= outcome.seed;
    }
  }

  /** A seed the scenario broke: the tally stops there. */
  addTrouble(trouble: ScenarioTrouble): void {
    this.assertNext(trouble.seed);
    this.trouble = trouble;
  }

  private assertNext(seed: number): void {
    assert(!this.stopped, "a stopped sweep was given another seed");
    const last = this.outcomes[this.outcomes.length - 1];
    assert(last === undefined || seed > last.seed, `seed ${seed} counted out of order`);
  }

  /** The counts of the seeds fed so far. */
  counts(identity: SweepIdentity): SweepCounts {
    let logicalTraces = 0;
    for (const hashes of this.logicalByWorkload.values()) logicalTraces = Math.max(logicalTraces, hashes.size);
    return {
      ...identity,
      seedsRun: this.outcomes.length,
      physicalTraces: this.physical.size,
      logicalTraces,
      divergences: this.divergenceCount,
      events: this.eventCount,
      scenarioError: this.trouble ?? null,
    };
  }
}
