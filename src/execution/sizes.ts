// A scenario's sizes for one execution: its declared defaults, overridden by what the user asked
// for. Asking for a size the scenario does not declare, or out of its range, is bad input. Under
// swarm faults a size declared variable (`swarm: { min, max }`) is drawn per seed, as the fault mix
// is, unless the user set it: the execution's sizes (and the replay file) record what was drawn.

import { isSwarm, type FaultSpec } from "../world/faults.ts";
import { randomStream, type Random } from "../core/random.ts";
import type { Scenario, Sizes } from "../core/scenario.ts";
import { UsageError } from "../core/errors.ts";

/**
 * The sizes one execution runs at: resolveSizes's, with each variable size the user did not set
 * drawn from the seed's "swarm-sizes" stream when the faults are a swarm. Every variable size is
 * drawn, in name order, whether set or not, so setting one never shifts another's draw.
 */
export function sizesOfExecution(scenario: Scenario<any>, requested: Sizes | undefined, faults: FaultSpec, seed: number): Sizes {
  const sizes = resolveSizes(scenario, requested);
  if (!isSwarm(faults)) return sizes;
  const declared = scenario.sizes ?? {};
  let random: Random | undefined; // made on the first variable size: most scenarios have none
  const drawn: Record<string, number> = { ...sizes };
  for (const name of Object.keys(declared).sort()) {
    const range = declared[name]!.swarm;
    if (range === undefined) continue;
    const value = (random ??= randomStream(seed, "swarm-sizes")).between(range.min, range.max);
    if (requested?.[name] === undefined) drawn[name] = value;
  }
  return drawn;
}

export function resolveSizes(scenario: Scenario<any>, requested: Sizes | undefined): Sizes {
  const declared = scenario.sizes ?? {};
  const sizes: Record<string, number> = {};
  for (const name of Object.keys(declared).sort()) {
    const spec = declared[name]!;
    if (![spec.default, spec.min, spec.max].every(Number.isSafeInteger) || spec.default < spec.min || spec.default > spec.max) {
      throw new UsageError(`scenario '${scenario.name}': size '${name}' needs integer default, min and max with min ≤ default ≤ max`);
    }
    const range = spec.swarm;
    if (range !== undefined && (![range.min, range.max].every(Number.isSafeInteger) || range.min > range.max || range.min < spec.min || range.max > spec.max)) {
      throw new UsageError(`scenario '${scenario.name}': size '${name}' draws under swarm from [${range.min}, ${range.max}], which must be integers within [${spec.min}, ${spec.max}]`);
    }
    sizes[name] = spec.default;
  }
  for (const [name, value] of Object.entries(requested ?? {})) {
    const spec = declared[name];
    if (spec === undefined) {
      const known = Object.keys(declared).join(", ") || "none";
      throw new UsageError(`scenario '${scenario.name}' has no size '${name}' (its sizes: ${known})`);
    }
    if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
      throw new UsageError(`size '${name}' of scenario '${scenario.name}' must be an integer in [${spec.min}, ${spec.max}], got ${value}`);
    }
    sizes[name] = value;
  }
  return sizes;
}
