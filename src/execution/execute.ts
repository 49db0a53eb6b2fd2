// One execution: an ExecutionSpec → physical trace, logical trace and verdict. Also the reference:
// the same variant, logical input and sizes with faults off, against which a logical trace is judged.

import type { TraceEvent } from "../core/events.ts";
import { hashJson } from "../core/hash.ts";
import type { Json } from "../core/json.ts";
import { randomStream } from "../core/random.ts";
import type { ExecutionLimits, Scenario, Sizes } from "../core/scenario.ts";
import type { Chooser } from "../core/tape.ts";
import { RandomChooser } from "../kernel/choosers.ts";
import { withDeterminismGuard } from "../kernel/guard.ts";
import { Simulation, type EndReason } from "../kernel/simulation.ts";
import { resolveFaults, type FaultProfile } from "../world/faults.ts";
import { resolveSizes } from "./sizes.ts";
import { findVariant, referenceSpecOf, resolveLimits, specOf, type ExecutionSpec, type SpecInput, type VariantSpec } from "./spec.ts";
import { checkExecution, type Violation } from "./verdict.ts";
import { viewOf, type ProjectionUse } from "./view.ts";

export interface ExecutionRequest extends SpecInput {
  /** Overrides the seeded-random chooser (replay, shrinking, exploration). */
  readonly chooser?: Chooser;
}

export interface Reference {
  readonly logical: Json;
  readonly logicalHash: string;
}

export type Verdict = "holds" | "diverges";

export interface ExecutionResult {
  readonly scenario: string;
  readonly variant: string;
  readonly seed: number;
  readonly workloadSeed: number;
  /** The concrete fault profile (a swarm draw written out). */
  readonly faults: FaultProfile;
  readonly limits: ExecutionLimits;
  /** Every size of the scenario, as this execution ran it. */
  readonly sizes: Sizes;
  readonly physicalHash: string;
  readonly logicalHash: string;
  readonly logical: Json;
  /** The logical trace equals the reference or the scenario admits it (see verdict.ts). */
  readonly admissible: boolean;
  readonly events: number;
  readonly endReason: EndReason;
  readonly endedAtMs: number;
  readonly verdict: Verdict;
  readonly violations: readonly Violation[];
  readonly trace: readonly TraceEvent[];
  /** What π read of the trace: the events that made the logical trace. */
  readonly projectionUse: ProjectionUse;
}

interface Simulated {
  readonly simulation: Simulation;
  readonly logical: Json;
  readonly admissible: boolean;
  readonly violations: Violation[];
  readonly projectionUse: ProjectionUse;
  readonly limits: ExecutionLimits;
  readonly sizes: Sizes;
  readonly faults: FaultProfile;
}

function simulate(spec: ExecutionSpec, chooser: Chooser | undefined, reference: Reference | undefined): Simulated {
  const { scenario, variant, seed } = spec;
  findVariant(scenario, variant);
  const limits = resolveLimits(scenario, spec.limits);
  const sizes = resolveSizes(scenario, spec.sizes);
  const faults = resolveFaults(spec.faults, seed);
  return withDeterminismGuard(() => {
    const workload = scenario.workload(randomStream(spec.workloadSeed, "workload"), sizes);
    const simulation = new Simulation({ seed, nodes: scenario.nodes({ variant, workload }), faults, chooser: chooser ?? new RandomChooser(seed), limits });
    const view = viewOf(simulation, variant, workload);
    const settled = scenario.settled;
    simulation.run(settled === undefined ? undefined : () => settled(view));
    const { logical, admissible, violations, projectionUse } = checkExecution(scenario, simulation, view, reference);
    return { simulation, logical, admissible, violations, projectionUse, limits, sizes, faults };
  });
}

/** The logical trace of the variant and workload with faults off. */
export function computeReference(spec: VariantSpec): Reference {
  const { logical } = simulate(referenceSpecOf(spec), undefined, undefined);
  return { logical, logicalHash: hashJson(logical) };
}

export function execute(request: ExecutionRequest, reference?: Reference): ExecutionResult {
  const spec = specOf<Scenario<any>>(request);
  const baseline = reference ?? computeReference(spec);
  const { simulation, logical, admissible, violations, projectionUse, limits, sizes, faults } = simulate(spec, request.chooser, baseline);
  return {
    scenario: spec.scenario.name,
    variant: spec.variant,
    seed: spec.seed,
    workloadSeed: spec.workloadSeed,
    faults,
    limits,
    sizes,
    physicalHash: simulation.physicalHash,
    logicalHash: hashJson(logical),
    logical,
    admissible,
    events: simulation.trace.length,
    endReason: simulation.endReason!,
    endedAtMs: simulation.timeMs,
    verdict: violations.length === 0 ? "holds" : "diverges",
    violations,
    trace: simulation.trace,
    projectionUse,
  };
}
