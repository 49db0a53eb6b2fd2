// Which variants a sweep runs, with how many seeds: every variant of the scenarios given (or one),
// each over the sweep's seed count; in CI expectation mode a `diverges` variant runs until its
// first divergence, within its own seed budget when it declares one.

import { UsageError } from "../core/errors.ts";
import type { Scenario } from "../core/scenario.ts";
import { findVariant } from "../execution/spec.ts";
import type { ScenarioModule } from "./loader.ts";

/** A scenario as the sweep knows it: loaded, with where workers find it and how the user named it. */
export interface LoadedScenario {
  readonly source: string;
  readonly module: ScenarioModule;
  readonly scenario: Scenario<any>;
}

export interface PlannedVariant extends LoadedScenario {
  readonly variant: string;
  /** Seeds to run: the sweep's count, or a `diverges` variant's own budget in CI mode. */
  readonly budget: number;
  readonly stopsAtFirstDivergence: boolean;
}

export interface PlanOptions {
  /** One variant (of the one scenario given), or every variant. */
  readonly variant?: string;
  readonly seedCount: number;
  /** CI expectation mode: each variant is judged against what it declares. */
  readonly expect: boolean;
}

export function planVariants(scenarios: readonly LoadedScenario[], options: PlanOptions): PlannedVariant[] {
  if (options.variant !== undefined && scenarios.length !== 1) throw new UsageError("--variant needs one scenario");
  return scenarios.flatMap((loaded) => {
    const names = options.variant === undefined ? loaded.scenario.variants.map((variant) => variant.name) : [options.variant];
    return names.map((name) => {
      const declared = findVariant(loaded.scenario, name);
      const stopsAtFirstDivergence = options.expect && declared.expect === "diverges";
      const budget = stopsAtFirstDivergence ? (declared.seedBudget ?? options.seedCount) : options.seedCount;
      return { ...loaded, variant: name, budget, stopsAtFirstDivergence };
    });
  });
}
