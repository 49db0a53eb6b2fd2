// Shrinking: from a diverging execution to the smallest one that still breaks the same invariant.
//
// The execution's decisions are recorded as a tape and replayed with decisions taken off, changed
// or moved; decisions are keyed by what they decide, so taking one off never changes what another
// means. Rounds of reducing passes (passes.ts) run until a round changes nothing: smaller sizes;
// every free decision (jitter) off at once; delta debugging over the faults; magnitudes nearer
// their gentlest; tick faults earlier; faults the ordinary nondeterminism can stand in for (a
// short delay is jitter) replaced by it. At such a local minimum, the bounded search (bounded.ts)
// looks from below for a schedule with fewer faults; what it finds starts another round. Last,
// the free decisions the failure still has are thinned, a few at a time.
//
// A candidate is kept only if it breaks the invariant (by default the first one broken, or one the
// caller names), has no more events than the original, and is smaller: fewest faults, then fewest
// events, then fewest free decisions, sizes, magnitudes, earliest faults (candidate.ts).

import { canonicalJson } from "../../core/hash.ts";
import type { Sizes } from "../../core/scenario.ts";
import type { Reference } from "../../execution/execute.ts";
import type { ShrinkCandidate } from "./candidate.ts";
import { dropFreeDecisions, moveFaultsEarlier, relieveFaults, removeFaults, searchFewerFaults, shortenMagnitudes, shrinkSizes, thinFreeDecisions } from "./passes.ts";
import { Shrinker, type ShrinkRequest } from "./shrinker.ts";

export { firstInvariant, SHRINK_EVENTS_TOTAL_MAX, SHRINK_EXECUTIONS_MAX, type ShrinkRequest } from "./shrinker.ts";
export type { ShrinkCandidate } from "./candidate.ts";
export { withoutFaults } from "./passes.ts";

/** Rounds of the reducing passes (each round that changes something earns another). */
const SHRINK_ROUNDS_MAX = 8;
/** The share of the events budget the thinning of free decisions may spend. */
const FREE_THINNING_SHARE = 0.25;

export interface ShrinkResult {
  /** The reference at the shrunk execution's sizes. */
  readonly reference: Reference;
  readonly original: ShrinkCandidate;
  readonly shrunk: ShrinkCandidate;
  /** The invariant every kept candidate breaks. */
  readonly invariant: string;
  readonly executions: number;
  /** Events of every execution it spent, summed. */
  readonly events: number;
  /** Whether it stopped at its budget (executions or events). */
  readonly budgetReached: boolean;
  /**
   * No schedule with fewer faults than this breaks the invariant at the shrunk sizes: the bounded
   * search from below searched those levels whole (magnitudes at the points it tries, no jitter).
   * Equal to the shrunk fault count when the shrunk execution is a shortest one; 0 when unknown.
   */
  readonly faultsLowerBound: number;
}

export function shrink(request: ShrinkRequest): ShrinkResult {
  const shrinker = new Shrinker(request);
  // By sizes: the fault counts searched from below there, and the lower bound the searches proved.
  const searched = new Map<string, { readonly faultCounts: Set<number>; faultsLowerBound: number }>();
  const searchedAt = (sizes: Sizes) => {
    const key = canonicalJson(sizes);
    let entry = searched.get(key);
    if (entry === undefined) searched.set(key, (entry = { faultCounts: new Set(), faultsLowerBound: 0 }));
    return entry;
  };
  for (let round = 0; round < SHRINK_ROUNDS_MAX && !shrinker.exhausted; round++) {
    const before = shrinker.current;
    shrinkSizes(shrinker);
    dropFreeDecisions(shrinker);
    removeFaults(shrinker);
    shortenMagnitudes(shrinker);
    moveFaultsEarlier(shrinker);
    relieveFaults(shrinker);
    if (shrinker.current !== before) continue;
    const { faultCount } = shrinker.current;
    const here = searchedAt(shrinker.sizes);
    // Searched from this fault count already, or proven already that no fewer faults break it at
    // these sizes (a search that found the current execution proved it): another search would
    // only repeat one (it spent 886 of 7,846 executions in one shrink of idempotency's).
    if (faultCount === 0 || here.faultCounts.has(faultCount) || here.faultsLowerBound >= faultCount) break;
    here.faultCounts.add(faultCount);
    here.faultsLowerBound = Math.max(here.faultsLowerBound, searchFewerFaults(shrinker));
    if (shrinker.current === before) break;
  }
  thinFreeDecisions(shrinker, Math.floor(shrinker.eventsTotalMax * FREE_THINNING_SHARE));
  const shrunk = shrinker.current;
  const faultsLowerBound = Math.min(searched.get(canonicalJson(shrunk.result.sizes))?.faultsLowerBound ?? 0, shrunk.faultCount);
  return {
    reference: shrinker.referenceAt(shrunk.result.sizes),
    original: shrinker.original,
    shrunk,
    invariant: shrinker.invariant,
    executions: shrinker.executions,
    events: shrinker.events,
    budgetReached: shrinker.exhausted,
    faultsLowerBound,
  };
}
