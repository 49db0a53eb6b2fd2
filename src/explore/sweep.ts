// A sweep: executions of one scenario variant over a seed range (or one shard of it). It counts
// distinct physical traces, distinct logical traces per logical input, and divergences, and keeps
// the first one. The count is a SweepTally fed seed outcomes in seed order: the serial loop here,
// the worker pool (parallel.ts) and the merge of shards (report/merge.ts) all feed the same tally,
// which is why their results are identical.

import type { ExecutionLimits, Expectation, Scenario } from "../scenario.ts";
import type { Violation } from "../check/verdict.ts";
import { assert } from "../kernel/assert.ts";
import type { FaultSpec } from "../network/faults.ts";
import { computeReference, execute, findVariant, type ExecutionResult, type Reference, type Verdict } from "./execute.ts";

/** Seed s belongs to shard (s - seedFrom) mod count: a deterministic, interleaved split. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export interface SweepRequest {
  readonly scenario: Scenario<any>;
  readonly variant: string;
  readonly seedFrom: number;
  readonly seedCount: number;
  readonly faults: FaultSpec;
  /** The logical input's seed; ignored when varyWorkload is set (then each seed is its own). */
  readonly workloadSeed?: number;
  readonly varyWorkload?: boolean;
  readonly limits?: Partial<ExecutionLimits>;
  /** Stop at the first divergence (CI expectation mode: a `diverges` variant is caught). */
  readonly stopAtFirstDivergence?: boolean;
  /** Run only this shard's seeds of the range. */
  readonly shard?: Shard;
  /** Called after each seed, for progress bars. */
  readonly onSeed?: (done: number, divergences: number) => void;
}

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

export interface SweepResult {
  readonly scenario: string;
  readonly variant: string;
  readonly expect: Expectation;
  readonly seedFrom: number;
  readonly seedCount: number;
  /** Seeds actually executed: fewer than seedCount when stopped at the first divergence or sharded. */
  readonly seedsRun: number;
  readonly physicalTraces: number;
  /** Distinct logical traces per logical input: the largest count when the workload varies. */
  readonly logicalTraces: number;
  readonly divergences: number;
  readonly firstDivergence: ExecutionResult | undefined;
  readonly events: number;
  /** Every seed run, in seed order. */
  readonly outcomes: readonly SeedOutcome[];
}

/** The seeds a request runs, in order: the range, or its shard's part of it. */
export function seedsOf(request: Pick<SweepRequest, "seedFrom" | "seedCount" | "shard">): number[] {
  const { index, count } = request.shard ?? { index: 0, count: 1 };
  const seeds: number[] = [];
  for (let offset = index; offset < request.seedCount; offset += count) seeds.push(request.seedFrom + offset);
  return seeds;
}

export function workloadSeedOf(request: Pick<SweepRequest, "varyWorkload" | "workloadSeed">, seed: number): number {
  return request.varyWorkload ? seed : (request.workloadSeed ?? 0);
}

export function outcomeOf(result: ExecutionResult): SeedOutcome {
  const { seed, workloadSeed, physicalHash, logicalHash, events, verdict, violations } = result;
  return { seed, workloadSeed, physicalHash, logicalHash, events, verdict, violations };
}

/** Executes seeds of one request, computing each logical input's reference once. */
export class SeedRunner {
  private readonly references = new Map<number, Reference>();

  constructor(private readonly request: Omit<SweepRequest, "onSeed">) {}

  execute(seed: number): ExecutionResult {
    const { scenario, variant, faults, limits } = this.request;
    const workloadSeed = workloadSeedOf(this.request, seed);
    let reference = this.references.get(workloadSeed);
    if (reference === undefined) {
      reference = computeReference(scenario, variant, workloadSeed, limits);
      if (!this.request.varyWorkload) this.references.set(workloadSeed, reference);
    }
    return execute({ scenario, variant, seed, workloadSeed, faults, limits }, reference);
  }
}

/** Counts seed outcomes fed in increasing seed order; stops at the first divergence if asked. */
export class SweepTally {
  readonly outcomes: SeedOutcome[] = [];
  private readonly physical = new Set<string>();
  private readonly logicalByWorkload = new Map<number, Set<string>>();
  private divergenceCount = 0;
  private eventCount = 0;
  private firstDivergenceSeed: number | undefined;

  constructor(private readonly stopAtFirstDivergence: boolean) {}

  get stopped(): boolean {
    return this.stopAtFirstDivergence && this.firstDivergenceSeed !== undefined;
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

  finish(request: SweepRequest, expect: Expectation, firstDivergence: ExecutionResult | undefined): SweepResult {
    assert(firstDivergence?.seed === this.firstDivergenceSeed, "the first divergence does not match the tally's");
    const counts = this.counts({ scenario: request.scenario.name, variant: request.variant, expect, seedFrom: request.seedFrom, seedCount: request.seedCount });
    return { ...counts, firstDivergence, outcomes: this.outcomes };
  }

  /** The counts of the seeds fed so far. */
  counts(identity: Pick<SweepResult, "scenario" | "variant" | "expect" | "seedFrom" | "seedCount">): SweepCounts {
    let logicalTraces = 0;
    for (const hashes of this.logicalByWorkload.values()) logicalTraces = Math.max(logicalTraces, hashes.size);
    return {
      ...identity,
      seedsRun: this.outcomes.length,
      physicalTraces: this.physical.size,
      logicalTraces,
      divergences: this.divergenceCount,
      events: this.eventCount,
    };
  }
}

export type SweepCounts = Omit<SweepResult, "firstDivergence" | "outcomes">;

/** A sweep in this thread, seed after seed. */
export function sweep(request: SweepRequest): SweepResult {
  const declared = findVariant(request.scenario, request.variant);
  const runner = new SeedRunner(request);
  const tally = new SweepTally(request.stopAtFirstDivergence ?? false);
  let firstDivergence: ExecutionResult | undefined;
  for (const seed of seedsOf(request)) {
    const result = runner.execute(seed);
    tally.add(outcomeOf(result));
    if (result.verdict === "diverges") firstDivergence ??= result;
    request.onSeed?.(tally.outcomes.length, tally.divergences);
    if (tally.stopped) break;
  }
  return tally.finish(request, declared.expect, firstDivergence);
}
