// The sweep's count: seed outcomes fed in increasing seed order give distinct physical traces,
// distinct logical traces per logical input (workload seed and sizes; and how many of them are
// admissible), divergences and the first one, and for each invariant how many seeds broke it and the first seed that did. The
// serial sweep, the worker pool and the merge of shards all feed one SweepTally, which is why their
// results agree. A seed the scenario broke (a scenario error, or ambient time or randomness) is no
// outcome: it stops the tally, and the sweep reports it instead of a verdict. So does a seed whose
// execution did not finish (hung, out of memory): the variant has failed whatever later seeds
// give, and every further hang would cost another full timeout.

import { assert } from "../core/errors.ts";
import { canonicalJson } from "../core/hash.ts";
import type { Expectation, Sizes } from "../core/scenario.ts";
import type { Verdict } from "../execution/execute.ts";
import type { LostVerdict } from "../execution/lost.ts";
import type { Violation } from "../execution/verdict.ts";

/** What a sweep keeps of one execution: enough to count, merge and compare. */
export interface SeedOutcome {
  readonly seed: number;
  readonly workloadSeed: number;
  /** The sizes it ran at: with the workload seed, its logical input (a swarm draws sizes per seed). */
  readonly sizes?: Sizes;
  readonly physicalHash: string;
  readonly logicalHash: string;
  /** The logical trace equals the reference or the scenario admits it. */
  readonly admissible: boolean;
  readonly events: number;
  readonly verdict: Verdict;
  /** The invariants (and kernel checks such as logical-trace) it broke, each once, in the order broken. */
  readonly broken: readonly string[];
}

/** The names of the invariants a list of violations broke, each once, in order. */
export function brokenInvariants(violations: readonly Violation[]): string[] {
  return [...new Set(violations.map((violation) => violation.invariant))];
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

/** A seed whose execution did not finish (hung, out of memory): it ends the count. */
export interface LostSeed {
  readonly seed: number;
  readonly workloadSeed: number;
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

/** One invariant (or kernel check) over a sweep: how many seeds broke it, and the first that did. */
export interface InvariantCount {
  readonly invariant: string;
  readonly seeds: number;
  readonly firstSeed: number;
}

export interface SweepCounts extends SweepIdentity {
  /** Seeds actually executed: fewer than seedCount when stopped at the first divergence or sharded. */
  readonly seedsRun: number;
  readonly physicalTraces: number;
  /** Distinct logical traces per logical input: the largest count when the workload varies. */
  readonly logicalTraces: number;
  /** Of those, the admissible ones (equal to the reference, or admitted by the scenario): largest count per logical input. */
  readonly admissibleLogicalTraces: number;
  /** And the inadmissible ones: largest count per logical input. */
  readonly inadmissibleLogicalTraces: number;
  readonly divergences: number;
  /** Each invariant broken in the sweep, in the order first broken (by seed, then as reported). */
  readonly invariants: readonly InvariantCount[];
  readonly events: number;
  /** The seed the scenario broke, where the sweep stopped; null if none did. */
  readonly scenarioError: ScenarioTrouble | null;
  /** The seed whose execution did not finish, where the sweep stopped; null if every seed finished. */
  readonly lost: LostSeed | null;
}

/** The distinct logical traces of one logical input, by whether they are admissible. */
interface LogicalTraces {
  readonly all: Set<string>;
  readonly admissible: Set<string>;
  readonly inadmissible: Set<string>;
}

/** Counts seed outcomes fed in increasing seed order; stops at the first divergence if asked. */
export class SweepTally {
  readonly outcomes: SeedOutcome[] = [];
  private readonly physical = new Set<string>();
  /** By logical input: the workload seed and the sizes. */
  private readonly logicalByWorkload = new Map<string, LogicalTraces>();
  private readonly invariantCounts = new Map<string, { seeds: number; readonly firstSeed: number }>();
  private divergenceCount = 0;
  private eventCount = 0;
  private firstDivergenceSeed: number | undefined;
  private trouble: ScenarioTrouble | undefined;
  private lostSeed: LostSeed | undefined;

  constructor(private readonly stopAtFirstDivergence: boolean) {}

  get stopped(): boolean {
    return this.trouble !== undefined || this.lostSeed !== undefined || (this.stopAtFirstDivergence && this.firstDivergenceSeed !== undefined);
  }

  get divergences(): number {
    return this.divergenceCount;
  }

  get firstDivergence(): number | undefined {
    return this.firstDivergenceSeed;
  }

  /** The seeds that were the first to break some invariant, ascending (the first divergence among them). */
  get firstBreakingSeeds(): number[] {
    return [...new Set([...this.invariantCounts.values()].map((count) => count.firstSeed))].sort((a, b) => a - b);
  }

  /** Counts one more seed; true when it is the first to break some invariant. */
  add(outcome: SeedOutcome): boolean {
    this.assertNext(outcome.seed);
    assert((outcome.verdict === "diverges") === (outcome.broken.length > 0), `seed ${outcome.seed}: a verdict of ${outcome.verdict} with ${outcome.broken.length} invariants broken`);
    this.outcomes.push(outcome);
    this.physical.add(outcome.physicalHash);
    const input = outcome.sizes === undefined ? String(outcome.workloadSeed) : `${outcome.workloadSeed} ${canonicalJson(outcome.sizes)}`;
    let logical = this.logicalByWorkload.get(input);
    if (logical === undefined) this.logicalByWorkload.set(input, (logical = { all: new Set(), admissible: new Set(), inadmissible: new Set() }));
    logical.all.add(outcome.logicalHash);
    (outcome.admissible ? logical.admissible : logical.inadmissible).add(outcome.logicalHash);
    this.eventCount += outcome.events;
    let first = false;
    for (const invariant of outcome.broken) {
      const count = this.invariantCounts.get(invariant);
      if (count !== undefined) count.seeds++;
      else {
        this.invariantCounts.set(invariant, { seeds: 1, firstSeed: outcome.seed });
        first = true;
      }
    }
    if (outcome.verdict === "diverges") {
      this.divergenceCount++;
      this.firstDivergenceSeed ??= outcome.seed;
    }
    return first;
  }

  /** A seed the scenario broke: the tally stops there. */
  addTrouble(trouble: ScenarioTrouble): void {
    this.assertNext(trouble.seed);
    this.trouble = trouble;
  }

  /** A seed whose execution did not finish: the tally stops there. */
  addLost(lost: LostSeed): void {
    this.assertNext(lost.seed);
    this.lostSeed = lost;
  }

  /** The seed that did not finish, if one did not. */
  get lost(): LostSeed | undefined {
    return this.lostSeed;
  }

  private assertNext(seed: number): void {
    assert(!this.stopped, "a stopped sweep was given another seed");
    const last = this.outcomes[this.outcomes.length - 1];
    assert(last === undefined || seed > last.seed, `seed ${seed} counted out of order`);
  }

  /** The counts of the seeds fed so far. */
  counts(identity: SweepIdentity): SweepCounts {
    let logicalTraces = 0;
    let admissibleLogicalTraces = 0;
    let inadmissibleLogicalTraces = 0;
    for (const { all, admissible, inadmissible } of this.logicalByWorkload.values()) {
      logicalTraces = Math.max(logicalTraces, all.size);
      admissibleLogicalTraces = Math.max(admissibleLogicalTraces, admissible.size);
      inadmissibleLogicalTraces = Math.max(inadmissibleLogicalTraces, inadmissible.size);
    }
    return {
      ...identity,
      seedsRun: this.outcomes.length,
      physicalTraces: this.physical.size,
      logicalTraces,
      admissibleLogicalTraces,
      inadmissibleLogicalTraces,
      divergences: this.divergenceCount,
      invariants: [...this.invariantCounts].map(([invariant, { seeds, firstSeed }]) => ({ invariant, seeds, firstSeed })),
      events: this.eventCount,
      scenarioError: this.trouble ?? null,
      lost: this.lostSeed ?? null,
    };
  }
}
