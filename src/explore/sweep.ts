// A sweep: executions of one scenario variant over a seed range. It counts distinct physical
// traces, distinct logical traces per logical input, and divergences, and keeps the first one.

import type { ExecutionLimits, Expectation, Scenario } from "../scenario.ts";
import type { FaultSpec } from "../network/faults.ts";
import { computeReference, execute, findVariant, type ExecutionResult, type Reference } from "./execute.ts";

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
  /** Called after each seed, for progress bars. */
  readonly onSeed?: (done: number, divergences: number) => void;
}

export interface SweepResult {
  readonly scenario: string;
  readonly variant: string;
  readonly expect: Expectation;
  readonly seedFrom: number;
  readonly seedCount: number;
  /** Seeds actually executed: fewer than seedCount when stopped at the first divergence. */
  readonly seedsRun: number;
  readonly physicalTraces: number;
  /** Distinct logical traces per logical input: the largest count when the workload varies. */
  readonly logicalTraces: number;
  readonly divergences: number;
  readonly firstDivergence: ExecutionResult | undefined;
  readonly events: number;
}

export function sweep(request: SweepRequest): SweepResult {
  const { scenario, variant, seedFrom, seedCount } = request;
  const declared = findVariant(scenario, variant);
  const physical = new Set<string>();
  const logicalByWorkload = new Map<number, Set<string>>();
  const references = new Map<number, Reference>();
  let divergences = 0;
  let events = 0;
  let firstDivergence: ExecutionResult | undefined;
  let seedsRun = 0;
  for (let index = 0; index < seedCount; index++) {
    const seed = seedFrom + index;
    const workloadSeed = request.varyWorkload ? seed : (request.workloadSeed ?? 0);
    let reference = references.get(workloadSeed);
    if (reference === undefined) {
      reference = computeReference(scenario, variant, workloadSeed, request.limits);
      if (!request.varyWorkload) references.set(workloadSeed, reference);
    }
    const result = execute({ scenario, variant, seed, workloadSeed, faults: request.faults, limits: request.limits }, reference);
    physical.add(result.physicalHash);
    let logical = logicalByWorkload.get(workloadSeed);
    if (logical === undefined) logicalByWorkload.set(workloadSeed, (logical = new Set()));
    logical.add(result.logicalHash);
    events += result.events;
    if (result.verdict === "diverges") {
      divergences++;
      firstDivergence ??= result;
    }
    seedsRun++;
    request.onSeed?.(seedsRun, divergences);
    if (firstDivergence !== undefined && request.stopAtFirstDivergence) break;
  }
  let logicalTraces = 0;
  for (const hashes of logicalByWorkload.values()) logicalTraces = Math.max(logicalTraces, hashes.size);
  return {
    scenario: scenario.name,
    variant,
    expect: declared.expect,
    seedFrom,
    seedCount,
    seedsRun,
    physicalTraces: physical.size,
    logicalTraces,
    divergences,
    firstDivergence,
    events,
  };
}
