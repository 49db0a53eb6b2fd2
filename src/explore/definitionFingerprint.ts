// A scenario's definition, as a fingerprint: what a module that draws ambient randomness or time
// when it loads (a timeout drawn from ambient randomness at its top level) would change from
// one load to the next. The declared data (variants, sizes, limits, invariants' names), the
// workload at workload seed 0 and default sizes, and each variant's fault-free execution (its
// physical and logical hashes). Two loads of a sound module give equal fingerprints.

import { hashJson } from "../core/hash.ts";
import type { Json } from "../core/json.ts";
import { randomStream } from "../core/random.ts";
import type { Scenario } from "../core/scenario.ts";
import { referenceRun } from "../execution/execute.ts";
import { checkedWorkload, scenarioStep } from "../execution/scenarioStep.ts";
import { resolveSizes } from "../execution/sizes.ts";
import { DEFAULT_WORKLOAD_SEED } from "../execution/spec.ts";
import { withDeterminismGuard } from "../kernel/guard.ts";

export interface DefinitionFingerprint {
  /** Hash of the declared data: name, description, variants, sizes, limits, invariants' names. */
  readonly declared: string;
  /** Hash of the workload at the default workload seed and sizes (or what went wrong making it). */
  readonly workload: string;
  /** Per variant: the fault-free execution's physical and logical hashes (or what went wrong). */
  readonly references: Readonly<Record<string, string>>;
}

function attempt(body: () => string): string {
  try {
    return body();
  } catch (thrown) {
    return `failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`;
  }
}

export function definitionFingerprint(scenario: Scenario<any>): DefinitionFingerprint {
  const declared = {
    name: scenario.name,
    description: scenario.description,
    variants: scenario.variants,
    sizes: scenario.sizes ?? null,
    limits: scenario.limits ?? null,
    invariants: (scenario.invariants ?? []).map((invariant) => [invariant.name, invariant.description]),
    settled: scenario.settled !== undefined,
    eventually: (scenario.eventually ?? []).map((property) => [property.name, property.description]),
    roles: scenario.roles !== undefined,
  } as unknown as Json;
  const sizes = resolveSizes(scenario, {});
  const workload = attempt(() =>
    withDeterminismGuard(() => hashJson(checkedWorkload(scenarioStep("workload()", () => scenario.workload(randomStream(DEFAULT_WORKLOAD_SEED, "workload"), sizes))))),
  );
  const references: Record<string, string> = {};
  for (const { name } of scenario.variants) {
    references[name] = attempt(() => {
      const spec = { scenario, variant: name, workloadSeed: DEFAULT_WORKLOAD_SEED, sizes: {}, faults: "none", limits: {} };
      const { reference, physicalHash } = referenceRun(spec);
      return `physical ${physicalHash}, logical ${reference.logicalHash}`;
    });
  }
  return { declared: hashJson(declared), workload, references };
}

/** What differs between two fingerprints of one scenario, in words; undefined when nothing does. */
export function fingerprintDifference(first: DefinitionFingerprint, second: DefinitionFingerprint): string | undefined {
  if (first.declared !== second.declared) return "its declared variants, sizes, limits or invariants differ";
  if (first.workload !== second.workload) return "its workload at workload seed 0 differs";
  for (const [variant, hashes] of Object.entries(first.references)) {
    if (second.references[variant] !== hashes) return `the fault-free execution of variant '${variant}' differs (${hashes}; then ${second.references[variant] ?? "none"})`;
  }
  return undefined;
}
