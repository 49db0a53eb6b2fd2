// One execution: an ExecutionSpec → physical trace, logical trace and verdict. Also the reference:
// the same variant, logical input and sizes with faults off, against which a logical trace is judged.
//
// What the scenario gets wrong is not a verdict: a workload that is not JSON, nodes() that throws
// or returns no nodes, a value that is not JSON at the boundary, ambient time or randomness, and
// (for a `holds` variant) a reference that breaks its own invariants are thrown as a ScenarioError
// or NondeterminismError, prefixed with the execution they happened in (scenarioStep.ts).

import { ScenarioError } from "../core/errors.ts";
import type { TraceEvent } from "../core/events.ts";
import type { Json } from "../core/json.ts";
import { randomStream } from "../core/random.ts";
import type { ExecutionLimits, ExecutionView, Scenario, Sizes } from "../core/scenario.ts";
import type { Chooser } from "../core/tape.ts";
import { RandomChooser } from "../kernel/choosers.ts";
import { withDeterminismGuard } from "../kernel/guard.ts";
import { Simulation, type EndReason } from "../kernel/simulation.ts";
import { resolveFaults, type FaultProfile } from "../world/faults.ts";
import { LivenessWatch } from "./liveness.ts";
import { checkedNodes, checkedRoles, checkedWorkload, inExecution, scenarioStep } from "./scenarioStep.ts";
import { sizesOfExecution } from "./sizes.ts";
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
  readonly logicalHash: string;
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
  const sizes = sizesOfExecution(scenario, spec.sizes, spec.faults, seed);
  const faults = resolveFaults(spec.faults, seed);
  return withDeterminismGuard(() => {
    const workload = checkedWorkload(scenarioStep("workload()", () => scenario.workload(randomStream(spec.workloadSeed, "workload"), sizes)));
    const nodes = checkedNodes(scenarioStep("nodes()", () => scenario.nodes({ variant, workload, sizes })));
    let view: ExecutionView<Json> | undefined;
    const rolesOf = scenario.roles;
    const nodeIds = Object.keys(nodes);
    const roles = rolesOf === undefined ? undefined : () => checkedRoles(scenarioStep("roles()", () => rolesOf(view!)), nodeIds);
    const simulation = new Simulation({ seed, nodes, faults, chooser: chooser ?? new RandomChooser(seed), limits, storageFaults: scenario.storageFaults, ...(roles === undefined ? {} : { roles }) });
    view = viewOf(simulation, variant, workload);
    const settled = scenario.settled;
    const liveness = new LivenessWatch(scenario.eventually ?? [], view);
    // The closures in place, unnamed: under tsx a closure bound to a name is renamed when made, once per execution.
    simulation.run(
      liveness.done
        ? settled === undefined
          ? undefined
          : () => settledNow(settled, view!)
        : () => {
            if (!liveness.done) liveness.observe();
            return settled !== undefined && settledNow(settled, view!);
          },
    );
    if (simulation.isHealed && !liveness.done) liveness.observe();
    const { logical, logicalHash, admissible, violations, projectionUse } = checkExecution(scenario, simulation, view, reference);
    violations.push(...liveness.violations(faults.healAtMs, simulation.isHealed, simulation.endReason!, simulation.timeMs));
    return { simulation, logical, logicalHash, admissible, violations, projectionUse, limits, sizes, faults };
  });
}

/** The scenario's `settled`, asked now. */
function settledNow(settled: NonNullable<Scenario<Json>["settled"]>, view: ExecutionView<Json>): boolean {
  return scenarioStep("settled()", () => settled(view));
}

/**
 * The logical trace of the variant and workload with faults off. A `holds` variant's reference must
 * keep the scenario's own invariants (every execution is judged against it): one that breaks one
 * is a scenario error. A `diverges` variant's bug may show without faults; a handler that throws
 * or a budget hit without faults is the protocol's failure, found again in every execution.
 */
/**
 * The reference of a variant spec. Given the seed of the execution it is for, the sizes that seed
 * draws (a swarm draws variable sizes per seed) are the reference's too.
 */
export function computeReference(spec: VariantSpec & { readonly seed?: number }): Reference {
  const { seed, ...variantSpec } = spec;
  if (seed === undefined) return referenceRun(variantSpec).reference;
  return referenceRun({ ...variantSpec, sizes: sizesOfExecution(spec.scenario, spec.sizes, spec.faults, seed) }).reference;
}

/** The reference, and the physical hash of the fault-free execution that made it. */
export function referenceRun(spec: VariantSpec): { readonly reference: Reference; readonly physicalHash: string } {
  const referenceSpec = referenceSpecOf(spec);
  const where = `the fault-free reference of ${spec.scenario.name}/${spec.variant} (workload seed ${spec.workloadSeed})`;
  const { simulation, logical, logicalHash, violations } = inExecution(() => where, () => simulate(referenceSpec, undefined, undefined));
  const own = new Set([...(spec.scenario.invariants ?? []), ...(spec.scenario.eventually ?? [])].map((invariant) => invariant.name));
  const broken = violations.filter((violation) => own.has(violation.invariant));
  if (broken.length > 0 && findVariant(spec.scenario, spec.variant).expect === "holds") {
    const more = broken.length > 1 ? ` (and ${broken.length - 1} more)` : "";
    throw new ScenarioError(`${where} breaks its own invariant '${broken[0]!.invariant}': ${broken[0]!.message}${more}; a variant declared to hold must keep its invariants without faults, since every execution is judged against this reference`);
  }
  return { reference: { logical, logicalHash }, physicalHash: simulation.physicalHash };
}

export function execute(request: ExecutionRequest, reference?: Reference): ExecutionResult {
  const requested = specOf<Scenario<any>>(request);
  // The sizes drawn for this seed (swarm) are the logical input's, and so the reference's too.
  const spec = { ...requested, sizes: sizesOfExecution(requested.scenario, requested.sizes, requested.faults, requested.seed) };
  const baseline = reference ?? computeReference(spec);
  const { simulation, logical, logicalHash, admissible, violations, projectionUse, limits, sizes, faults } = inExecution(
    () => `${spec.scenario.name}/${spec.variant} seed ${spec.seed}`,
    () => simulate(spec, request.chooser, baseline),
  );
  return {
    scenario: spec.scenario.name,
    variant: spec.variant,
    seed: spec.seed,
    workloadSeed: spec.workloadSeed,
    faults,
    limits,
    sizes,
    physicalHash: simulation.physicalHash,
    logicalHash,
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
