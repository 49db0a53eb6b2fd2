// A sweep: executions of one scenario variant over a seed range (or one shard of it), counted by a
// SweepTally (tally.ts). This is the serial loop; parallel.ts runs the same seeds on worker threads
// and feeds the same tally in seed order. A seed whose execution the scenario breaks (a scenario
// error, ambient time or randomness) stops the sweep of its variant there: it is reported as the
// variant's scenario error, never counted as a divergence or a pass.

import { assert, NondeterminismError } from "../core/errors.ts";
import type { Scenario } from "../core/scenario.ts";
import { canonicalJson } from "../core/hash.ts";
import { computeReference, execute, type ExecutionResult, type Reference } from "../execution/execute.ts";
import { sizesOfExecution } from "../execution/sizes.ts";
import { isScenarioTrouble } from "../execution/scenarioStep.ts";
import { findVariant, variantSpecOf, type VariantSpec, type VariantSpecInput } from "../execution/spec.ts";
import { brokenInvariants, SweepTally, type ScenarioTrouble, type SeedOutcome, type SweepCounts } from "./tally.ts";

/** Seed s belongs to shard (s - seedFrom) mod count: a deterministic, interleaved split. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** How a sweep walks its seeds: the settings every seed's execution shares are its VariantSpec. */
export interface SweepRange {
  readonly seedFrom: number;
  readonly seedCount: number;
  /** A new logical input per seed (workload seed = seed); else every seed meets `workloadSeed`'s. */
  readonly varyWorkload: boolean;
  /** Stop at the first divergence (CI expectation mode: a `diverges` variant is caught). */
  readonly stopAtFirstDivergence: boolean;
  /** Run only this shard's seeds of the range. */
  readonly shard?: Shard;
}

export interface SweepRequest extends VariantSpec, SweepRange {
  /** Called after each seed, for progress bars. */
  readonly onSeed?: (done: number, divergences: number) => void;
}

/** What a caller must give (the variant and how many seeds); everything else takes its default. */
export type SweepInput = VariantSpecInput & Partial<SweepRange> & Pick<SweepRange, "seedCount"> & Pick<SweepRequest, "onSeed">;

export function sweepRequestOf(input: SweepInput): SweepRequest {
  return {
    ...variantSpecOf(input),
    seedFrom: input.seedFrom ?? 0,
    seedCount: input.seedCount,
    varyWorkload: input.varyWorkload ?? false,
    stopAtFirstDivergence: input.stopAtFirstDivergence ?? false,
    ...(input.shard === undefined ? {} : { shard: input.shard }),
    ...(input.onSeed === undefined ? {} : { onSeed: input.onSeed }),
  };
}

export interface SweepResult extends SweepCounts {
  readonly firstDivergence: ExecutionResult | undefined;
  /** The executions of the seeds that first broke each invariant, in seed order (the first divergence among them). */
  readonly firstBreaks: readonly ExecutionResult[];
  /** Every seed run, in seed order. */
  readonly outcomes: readonly SeedOutcome[];
}

/** The seeds a sweep runs, in order: the range, or its shard's part of it. */
export function seedsOf(range: Pick<SweepRange, "seedFrom" | "seedCount" | "shard">): number[] {
  const { index, count } = range.shard ?? { index: 0, count: 1 };
  const seeds: number[] = [];
  for (let offset = index; offset < range.seedCount; offset += count) seeds.push(range.seedFrom + offset);
  return seeds;
}

export function seedOutcomeOf(result: ExecutionResult): SeedOutcome {
  const { seed, workloadSeed, sizes, physicalHash, logicalHash, admissible, events, verdict, violations } = result;
  return { seed, workloadSeed, sizes, physicalHash, logicalHash, admissible, events, verdict, broken: brokenInvariants(violations) };
}

/** References a SeedRunner keeps (one per logical input: workload seed and sizes); past it, it starts over. */
export const SEED_RUNNER_REFERENCES_MAX = 4096;

/** Executes seeds of one variant spec, computing each logical input's reference once. */
export class SeedRunner {
  private readonly references = new Map<string, Reference>();

  constructor(private readonly spec: VariantSpec & Pick<SweepRange, "varyWorkload">) {}

  execute(seed: number): ExecutionResult {
    const { varyWorkload, ...spec } = this.spec;
    const workloadSeed = this.workloadSeedOf(seed);
    // Sizes a swarm draws per seed are part of the logical input: one reference per workload and sizes.
    const sizes = sizesOfExecution(spec.scenario, spec.sizes, spec.faults, seed);
    const key = `${workloadSeed} ${canonicalJson(sizes)}`;
    let reference = this.references.get(key);
    if (reference === undefined) {
      reference = computeReference({ ...spec, workloadSeed, sizes });
      if (this.references.size >= SEED_RUNNER_REFERENCES_MAX) this.references.clear();
      if (!varyWorkload) this.references.set(key, reference);
    }
    return execute({ ...spec, seed, workloadSeed, sizes }, reference);
  }

  /** The seed's execution, or the trouble the scenario caused in it (anything else is thrown). */
  attempt(seed: number): { readonly result: ExecutionResult } | { readonly trouble: ScenarioTrouble } {
    try {
      return { result: this.execute(seed) };
    } catch (thrown) {
      if (!isScenarioTrouble(thrown)) throw thrown;
      const kind = thrown instanceof NondeterminismError ? "nondeterminism" : "scenario";
      return { trouble: { seed, workloadSeed: this.workloadSeedOf(seed), kind, message: thrown.message.split("\n")[0]! } };
    }
  }

  private workloadSeedOf(seed: number): number {
    return this.spec.varyWorkload ? seed : this.spec.workloadSeed;
  }
}

export function finishSweep(request: SweepRequest & { readonly scenario: Scenario<any> }, tally: SweepTally, firstBreaks: readonly ExecutionResult[]): SweepResult {
  assert(firstBreaks.map((result) => result.seed).join() === tally.firstBreakingSeeds.join(), "the first breaking executions do not match the tally's");
  const firstDivergence = firstBreaks[0];
  assert(firstDivergence?.seed === tally.firstDivergence, "the first divergence does not match the tally's");
  const expect = findVariant(request.scenario, request.variant).expect;
  const counts = tally.counts({ scenario: request.scenario.name, variant: request.variant, expect, seedFrom: request.seedFrom, seedCount: request.seedCount });
  return { ...counts, firstDivergence, firstBreaks, outcomes: tally.outcomes };
}

/** A sweep in this thread, seed after seed. */
export function sweep(input: SweepInput): SweepResult {
  const request = sweepRequestOf(input);
  findVariant(request.scenario, request.variant);
  const runner = new SeedRunner(request);
  const tally = new SweepTally(request.stopAtFirstDivergence);
  const firstBreaks: ExecutionResult[] = [];
  for (const seed of seedsOf(request)) {
    const attempt = runner.attempt(seed);
    if ("trouble" in attempt) {
      tally.addTrouble(attempt.trouble);
      break;
    }
    const result = attempt.result;
    if (tally.add(seedOutcomeOf(result))) firstBreaks.push(result);
    request.onSeed?.(tally.outcomes.length, tally.divergences);
    if (tally.stopped) break;
  }
  return finishSweep(request, tally, firstBreaks);
}
