// The sweep's count: seed outcomes fed in increasing seed order give distinct physical traces,
// distinct logical traces per logical input, divergences and the first one. The serial sweep, the
// worker pool and the merge of shards all feed one SweepTally, which is why their results agree.
// A seed whose execution did not finish (hung, out of memory) ends the count: the variant has
// failed whatever the later seeds give, and every further hang would cost another full timeout.

import { assert } from "../core/errors.ts";
import type { Expectation } from "../core/scenario.ts";
import type { Verdict } from "../execution/execute.ts";
import { isLostVerdict, type LostVerdict } from "../execution/lost.ts";
import type { Violation } from "../execution/verdict.ts";

/** What a sweep keeps of one execution: enough to count, merge and compare. */
export interface SeedOutcome {
  readonly seed: number;
  readonly workloadSeed: number;
  readonly physicalHash: string;
  readonly logicalHash: string;
  readonly events: number;
  /** `hung` or `out-of-memory`: the execution did not finish, and its hashes are empty. */
  readonly verdict: Verdict | LostVerdict;
  readonly violations: readonly Violation[];
}

/** The seed at which a sweep's count ended because its execution did not finish. */
export interface LostSeed {
  readonly seed: number;
  readonly verdict: LostVerdict;
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
  /** The seed that did not finish, which ended the count; null when every seed finished. */
  readonly lost: LostSeed | null;
}

/** Counts seed outcomes fed in increasing seed order; stops at the first divergence if asked. */
export class SweepTally {
  readonly outcomes: SeedOutcome[] = [];
  private readonly physical = new Set<string>();
  private readonly logicalByWorkload = new Map<number, Set<string>>();
  private divergenceCount = 0;
  private eventCount = 0;
  private firstDivergenceSeed: number | undefined;
  private lostSeed: LostSeed | undefined;

  constructor(private readonly stopAtFirstDivergence: boolean) {}

  get stopped(): boolean {
    return this.lostSeed !== undefined || (this.stopAtFirstDivergence && this.firstDivergenceSeed !== undefined);
  }

  get divergences(): number {
    return this.divergenceCount;
  }

  get firstDivergence(): number | undefined {
    return this.firstDivergenceSeed;
  }

  add(outcome: SeedOutcome): void {
    assert(!this.stopped, "a stopped sweep was given another seed");
    const last = this.outcomes[this.outcomes.length - 1];
    assert(last === undefined || outcome.seed > last.seed, `seed ${outcome.seed} counted out of order`);
    this.outcomes.push(outcome);
    if (isLostVerdict(outcome.verdict)) {
      this.lostSeed = { seed: outcome.seed, verdict: outcome.verdict, message: outcome.violations[0]?.message ?? outcome.verdict };
      return;
    }
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
      lost: this.lostSeed ?? null,
    };
  }
}
