// What identifies one execution, declared once: (scenario, variant, seed, workload seed, sizes,
// faults, limits). Every request spreads it (run, sweep, replay, shrink, explore), and so do the
// replay file and the worker job, where the scenario is named by a reference (a built-in's name or
// a file's path) instead of being the loaded object. The defaults live here and nowhere else.

import { UsageError } from "../core/errors.ts";
import type { ExecutionLimits, Scenario, Sizes, Variant } from "../core/scenario.ts";
import type { FaultSpec } from "../world/faults.ts";

export interface ExecutionSpec<ScenarioRef = Scenario<any>> {
  readonly scenario: ScenarioRef;
  readonly variant: string;
  readonly seed: number;
  /** The seed of the logical input; held fixed while the seed varies. */
  readonly workloadSeed: number;
  /** Sizes that differ from the scenario's defaults (`--size messages=3`); {} for the defaults. */
  readonly sizes: Sizes;
  /** A named profile (`swarm` draws one per seed) or the profile itself. */
  readonly faults: FaultSpec;
  /** Budgets over the scenario's own and the defaults. */
  readonly limits: Partial<ExecutionLimits>;
}

/** An execution spec but for its seed: what a sweep holds fixed while the seed varies. */
export type VariantSpec<ScenarioRef = Scenario<any>> = Omit<ExecutionSpec<ScenarioRef>, "seed">;

/** What a caller must give; everything else takes its default. */
export type SpecInput<ScenarioRef = Scenario<any>> = Pick<ExecutionSpec<ScenarioRef>, "scenario" | "variant" | "seed"> &
  Partial<Omit<ExecutionSpec<ScenarioRef>, "scenario" | "variant" | "seed">>;
export type VariantSpecInput<ScenarioRef = Scenario<any>> = Omit<SpecInput<ScenarioRef>, "seed">;

export const DEFAULT_LIMITS: ExecutionLimits = { eventsMax: 200_000, virtualTimeMaxMs: 120_000 };
export const DEFAULT_FAULTS = "swarm";
export const DEFAULT_WORKLOAD_SEED = 0;
/** The reference runs at this seed: with faults off, the seed reaches only the nodes' own streams. */
export const REFERENCE_SEED = 0;

export function specOf<ScenarioRef>(input: SpecInput<ScenarioRef>): ExecutionSpec<ScenarioRef> {
  return {
    scenario: input.scenario,
    variant: input.variant,
    seed: input.seed,
    workloadSeed: input.workloadSeed ?? DEFAULT_WORKLOAD_SEED,
    sizes: input.sizes ?? {},
    faults: input.faults ?? DEFAULT_FAULTS,
    limits: input.limits ?? {},
  };
}

export function variantSpecOf<ScenarioRef>(input: VariantSpecInput<ScenarioRef>): VariantSpec<ScenarioRef> {
  const { seed: _seed, ...spec } = specOf({ ...input, seed: 0 });
  return spec;
}

/** The same variant, logical input and sizes with faults off: the reference's spec. */
export function referenceSpecOf<ScenarioRef>(spec: VariantSpec<ScenarioRef>): ExecutionSpec<ScenarioRef> {
  return { ...spec, seed: REFERENCE_SEED, faults: "none" };
}

/** The budgets of an execution: the request's over the scenario's over the defaults. */
export function resolveLimits(scenario: Scenario<any>, limits: Partial<ExecutionLimits>): ExecutionLimits {
  return { ...DEFAULT_LIMITS, ...scenario.limits, ...limits };
}

export function findVariant(scenario: Scenario<any>, name: string): Variant {
  const variant = scenario.variants.find((candidate) => candidate.name === name);
  if (variant === undefined) {
    const known = scenario.variants.map((candidate) => candidate.name).join(", ");
    throw new UsageError(`scenario '${scenario.name}' has no variant '${name}' (known: ${known})`);
  }
  return variant;
}
