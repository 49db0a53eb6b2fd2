// Benchmark of the shrinker against its floor, the bounded search (issue 14). For every built-in
// broken variant: its first divergence as CI finds it (swarm faults, seeds from 0, within its seed
// budget), the faults before → after shrinking (default budget), and beside them the bounded
// search's minimum k for the same seed, fault profile and sizes, keeping the same invariant broken.
//
// Goal: the shrinker reaches the bounded minimum wherever the bounded search finishes (finds the
// fewest faults), and at most 2× the bounded search's lower bound elsewhere. The bounded search
// runs without latency jitter, magnitudes at the points it tries, at the sizes the seed ran at;
// jitter is no fault, so a shrink may end below it. The shrinker's throughput is printed beside the bare-heap
// floor over the same number of events, measured in the same process.
//
// Run: npm run bench:shrink [-- FILTER]   (FILTER: a substring of scenario/variant)

import { builtIns } from "../src/cli/registry.ts";
import { searchBounded } from "../src/explore/bounded.ts";
import { shrink } from "../src/explore/shrink/shrink.ts";
import { sweep } from "../src/explore/sweep.ts";
import { floorEventsPerSecond } from "./floor.ts";

/** Executions the bounded search may spend per variant. */
const BOUNDED_EXECUTIONS_MAX = 6000;
/** Seeds to look for a first divergence in, for a variant that declares no budget. */
const SEEDS_DEFAULT = 1000;

interface Row {
  readonly name: string;
  readonly seed: number;
  readonly faultsBefore: number;
  readonly faultsAfter: number;
  readonly eventsBefore: number;
  readonly eventsAfter: number;
  readonly sizes: string;
  readonly shrinkExecutions: number;
  readonly shrinkSeconds: number;
  readonly shrinkEvents: number;
  /** The bounded minimum when found; else null, with the lower bound. */
  readonly boundedMinimum: number | null;
  readonly boundedLowerBound: number;
  readonly boundedExecutions: number;
  readonly goalMet: boolean;
}

export function runShrinkBench(filter = ""): void {
  const rows: Row[] = [];
  console.log(`shrink: every built-in broken variant's first divergence (swarm faults), shrunk, beside the bounded search's minimum (≤ ${BOUNDED_EXECUTIONS_MAX} executions)`);
  console.log(`  ${"variant".padEnd(36)} ${"seed".padStart(5)}  faults before → after  events before → after  ${"shrink ex".padStart(9)}  bounded min k (executions)  goal`);
  for (const { scenario } of builtIns()) {
    for (const variant of scenario.variants) {
      const name = `${scenario.name}/${variant.name}`;
      if (variant.expect !== "diverges" || !name.includes(filter)) continue;
      const swept = sweep({ scenario, variant: variant.name, seedFrom: 0, seedCount: variant.seedBudget ?? SEEDS_DEFAULT, faults: "swarm", stopAtFirstDivergence: true });
      const first = swept.firstDivergence;
      if (first === undefined) {
        // A sweep the scenario broke (or a seed that never finished) is not "no divergence": say which.
        const trouble = swept.scenarioError ?? swept.lost;
        const why = trouble === null ? "no divergence within its seed budget" : `stopped at seed ${trouble.seed}: ${"kind" in trouble ? trouble.kind : trouble.verdict}: ${trouble.message}`;
        console.log(`  ${name.padEnd(36)} ${why}`);
        continue;
      }
      const startedMs = performance.now();
      // The seed's execution as the sweep ran it: its resolved fault profile and the sizes swarm drew
      // for it (a resolved profile is no longer swarm, so the sizes would not be drawn again).
      const shrunk = shrink({ scenario, variant: variant.name, seed: first.seed, faults: first.faults, sizes: first.sizes });
      const shrinkSeconds = (performance.now() - startedMs) / 1000;
      const bounded = searchBounded({
        scenario, variant: variant.name, seed: first.seed, faults: first.faults, sizes: first.sizes,
        faultsMax: shrunk.shrunk.faultCount, invariant: shrunk.invariant, executionsMax: BOUNDED_EXECUTIONS_MAX,
      });
      const after = shrunk.shrunk.faultCount;
      const boundedMinimum = bounded.counterexample?.faults ?? null;
      // Finished: the minimum found, or every level up to the shrunk count searched (the minimum is above it).
      const goalMet = boundedMinimum !== null || bounded.complete ? after <= (boundedMinimum ?? Infinity) : after <= 2 * bounded.faultsLowerBound;
      const row: Row = {
        name, seed: first.seed,
        faultsBefore: shrunk.original.faultCount, faultsAfter: after,
        eventsBefore: shrunk.original.result.events, eventsAfter: shrunk.shrunk.result.events,
        sizes: Object.entries(shrunk.shrunk.result.sizes).map(([size, value]) => `${size}=${value}`).join(" "),
        shrinkExecutions: shrunk.executions, shrinkSeconds, shrinkEvents: shrunk.events,
        boundedMinimum, boundedLowerBound: bounded.faultsLowerBound, boundedExecutions: bounded.executions, goalMet,
      };
      rows.push(row);
      const floorText = boundedMinimum !== null ? `${boundedMinimum}` : bounded.complete ? `> ${shrunk.shrunk.faultCount}` : `≥ ${bounded.faultsLowerBound}`;
      console.log(
        `  ${name.padEnd(36)} ${String(first.seed).padStart(5)}  ${`${row.faultsBefore} → ${after}`.padStart(21)}  ${`${row.eventsBefore} → ${row.eventsAfter}`.padStart(22)}  ${String(row.shrinkExecutions).padStart(9)}  ` +
          `${`${floorText} (${bounded.executions})`.padEnd(26)}  ${goalMet ? "met" : "NOT MET"}${row.sizes === "" ? "" : `  (${row.sizes})`}`,
      );
    }
  }
  const met = rows.filter((row) => row.goalMet).length;
  const seconds = rows.reduce((total, row) => total + row.shrinkSeconds, 0);
  const events = rows.reduce((total, row) => total + row.shrinkEvents, 0);
  const executions = rows.reduce((total, row) => total + row.shrinkExecutions, 0);
  const floor = floorEventsPerSecond(events);
  console.log(`  goal met on ${met}/${rows.length} variants`);
  console.log(`  shrinking: ${executions} executions in ${seconds.toFixed(1)} s, ${Math.round(events / seconds).toLocaleString("en")} events/s; floor ${Math.round(floor).toLocaleString("en")} events/s; ratio ${(events / seconds / floor).toFixed(4)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) runShrinkBench(process.argv[2] ?? "");
