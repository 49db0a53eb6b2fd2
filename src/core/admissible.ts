// `allowedOutcomes`: the common way to say which logical traces a scenario admits besides the
// reference — "equal to one of these outcomes", the outcomes built from the workload (and the
// reference). A trace that is none of them is inadmissible; the reason names the nearest allowed
// outcome and how the trace differs from it.

import { describeDifference, diffJson } from "./diff.ts";
import { canonicalJson, hashJson } from "./hash.ts";
import type { Json } from "./json.ts";
import type { Admissible } from "./scenario.ts";

/** Differences of the nearest allowed outcome quoted in the reason. */
const DIFFERENCES_QUOTED_MAX = 3;

interface Allowed {
  readonly key: string;
  readonly outcomes: readonly Json[];
  readonly hashes: ReadonlySet<string>;
}

/**
 * An `admissible` relation: a logical trace is admissible when it equals (canonically) one of the
 * outcomes `build` returns for the execution's workload and reference. The outcomes are built once
 * per (workload, reference), not once per execution.
 */
export function allowedOutcomes<Workload>(build: (workload: Workload, reference: Json) => readonly Json[]): Admissible<Workload> {
  let last: Allowed | undefined;
  const allowedFor = (workload: Workload, reference: Json): Allowed => {
    const key = `${canonicalJson(workload as Json)}\n${canonicalJson(reference)}`;
    if (last?.key !== key) {
      const outcomes = build(workload, reference);
      last = { key, outcomes, hashes: new Set(outcomes.map(hashJson)) };
    }
    return last;
  };
  return (logical, reference, workload) => {
    const allowed = allowedFor(workload, reference);
    if (allowed.hashes.has(hashJson(logical))) return null;
    if (allowed.outcomes.length === 0) return "no outcome is allowed for this workload";
    return `not one of the ${allowed.outcomes.length} allowed outcomes; nearest: ${nearest(logical, allowed.outcomes)}`;
  };
}

/** How `logical` differs from the allowed outcome it differs least from. */
function nearest(logical: Json, outcomes: readonly Json[]): string {
  let best = diffJson(outcomes[0]!, logical);
  for (const outcome of outcomes.slice(1)) {
    const differences = diffJson(outcome, logical);
    if (differences.length < best.length) best = differences;
  }
  const quoted = best.slice(0, DIFFERENCES_QUOTED_MAX).map(describeDifference).join("; ");
  return best.length > DIFFERENCES_QUOTED_MAX ? `${quoted}; …` : quoted;
}
