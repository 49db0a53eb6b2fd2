// A scenario's sizes for one execution: its declared defaults, overridden by what the user asked
// for. Asking for a size the scenario does not declare, or out of its range, is bad input.

import type { Scenario, Sizes } from "../core/scenario.ts";
import { UsageError } from "../core/errors.ts";

export function resolveSizes(scenario: Scenario<any>, requested: Sizes | undefined): Sizes {
  const declared = scenario.sizes ?? {};
  const sizes: Record<string, number> = {};
  for (const name of Object.keys(declared).sort()) {
    const spec = declared[name]!;
    if (![spec.default, spec.min, spec.max].every(Number.isSafeInteger) || spec.default < spec.min || spec.default > spec.max) {
      throw new UsageError(`scenario '${scenario.name}': size '${name}' needs integer default, min and max with min ≤ default ≤ max`);
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
