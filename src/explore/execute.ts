// One execution: (scenario, variant, logical input, seed, fault profile, limits) → physical trace,
// logical trace and verdict. Also the reference: the same variant and logical input, faults off.

import type { ExecutionLimits, Json, Scenario, Sizes, Variant } from "../scenario.ts";
import { UsageError } from "../errors.ts";
import { RandomChooser, type Chooser } from "../kernel/chooser.ts";
import { withDeterminismGuard } from "../kernel/guard.ts";
import { randomStream } from "../kernel/random.ts";
import { Simulation, type EndReason } from "../kernel/simulation.ts";
import { resolveFaults, type FaultProfile, type FaultSpec } from "../network/faults.ts";
import type { TraceEvent } from "../trace/events.ts";
import { hashJson } from "../trace/hash.ts";
import { viewOf } from "../trace/view.ts";
import { checkExecution, type Violation } from "../check/verdict.ts";
import { resolveSizes } from "./sizes.ts";

export const DEFAULT_LIMITS: ExecutionLimits = { eventsMax: 200_000, virtualTimeMaxMs: 120_000 };
/** The reference runs at this seed: with faults off, the seed reaches only the nodes' own streams. */
export const REFERENCE_SEED = 0;

export interface ExecutionRequest {
  readonly scenario: Scenario<any>;
  readonly variant: string;
  readonly seed: number;
  /** The seed of the logical input; by default 0, so every seed meets the same workload. */
  readonly workloadSeed?: number;
  readonly faults: FaultSpec;
  readonly limits?: Partial<ExecutionLimits>;
  /** Overrides the seeded-random chooser (replay, shrinking, exploration). */
  readonly chooser?: Chooser;
  /** Sizes that differ from the scenario's defaults (`--messages 3`). */
  readonly sizes?: Sizes;
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
  readonly faults: FaultProfile;
  readonly limits: ExecutionLimits;
  /** The sizes the request asked for, if any (a replay file carries them). */
  readonly sizes?: Sizes;
  readonly physicalHash: string;
  readonly logicalHash: string;
  readonly logical: Json;
  readonly events: number;
  readonly endReason: EndReason;
  readonly endedAtMs: number;
  readonly verdict: Verdict;
  readonly violations: readonly Violation[];
  readonly trace: readonly TraceEvent[];
}

export function findVariant(scenario: Scenario<any>, name: string): Variant {
  const variant = scenario.variants.find((candidate) => candidate.name === name);
  if (variant === undefined) {
    const known = scenario.variants.map((candidate) => candidate.name).join(", ");
    throw new UsageError(`scenario '${scenario.name}' has no variant '${name}' (known: ${known})`);
  }
  return variant;
}

interface Simulated {
  readonly simulation: Simulation;
  readonly logical: Json;
  readonly violations: Violation[];
  readonly limits: ExecutionLimits;
}

function simulate(request: ExecutionRequest, faults: FaultProfile, reference: Reference | undefined): Simulated {
  const { scenario, variant, seed } = request;
  findVariant(scenario, variant);
  const limits: ExecutionLimits = { ...DEFAULT_LIMITS, ...scenario.limits, ...request.limits };
  return withDeterminismGuard(() => {
    const workload = scenario.workload(randomStream(request.workloadSeed ?? 0, "workload"), resolveSizes(scenario, request.sizes));
    const simulation = new Simulation({
      seed,
      nodes: scenario.nodes({ variant, workload }),
      faults,
      chooser: request.chooser ?? new RandomChooser(seed),
      limits,
    });
    const view = viewOf(simulation, variant, workload);
    const settled = scenario.settled;
    simulation.run(settled === undefined ? undefined : () => settled(view));
    const { logical, violations } = checkExecution(scenario, simulation, view, reference);
    return { simulation, logical, violations, limits };
  });
}

/** The logical trace of the variant and workload with faults off. */
export function computeReference(
  scenario: Scenario<any>, variant: string, workloadSeed: number, limits?: Partial<ExecutionLimits>, sizes?: Sizes,
): Reference {
  const faults = resolveFaults("none", REFERENCE_SEED);
  const { logical } = simulate({ scenario, variant, seed: REFERENCE_SEED, workloadSeed, faults, limits, sizes }, faults, undefined);
  return { logical, logicalHash: hashJson(logical) };
}

export function execute(request: ExecutionRequest, reference?: Reference): ExecutionResult {
  const workloadSeed = request.workloadSeed ?? 0;
  const faults = resolveFaults(request.faults, request.seed);
  const baseline = reference ?? computeReference(request.scenario, request.variant, workloadSeed, request.limits, request.sizes);
  const { simulation, logical, violations, limits } = simulate(request, faults, baseline);
  return {
    scenario: request.scenario.name,
    variant: request.variant,
    seed: request.seed,
    workloadSeed,
    faults,
    limits,
    ...(request.sizes === undefined ? {} : { sizes: request.sizes }),
    physicalHash: simulation.physicalHash,
    logicalHash: hashJson(logical),
    logical,
    events: simulation.trace.length,
    endReason: simulation.endReason!,
    endedAtMs: simulation.timeMs,
    verdict: violations.length === 0 ? "holds" : "diverges",
    violations,
    trace: simulation.trace,
  };
}
