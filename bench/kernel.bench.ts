// Kernel throughput: events per second of a `delivery` sweep (every variant, swarm faults), beside
// the bare-heap floor over the same number of events, measured in the same process. Each
// repetition times the sweep and then the floor right after it, and gives one ratio; the ratio
// printed is the median of those, so a burst of load from other processes moves a pair, not the
// median (absolute speeds on a shared machine drift by 2× between runs; the paired ratio does not).
//
// A sweep runs with faults and the physical hash on, and records the whole trace (a sweep keeps
// it: π, the invariants and the failure pages read it), so one measurement stands against both of
// issue 16's targets: ≥ 0.30 with faults and hashing on, ≥ 0.15 with full trace recording.
// An event is a traced event (what `events` counts); fault ticks and heals, carried out but not
// traced, are work the kernel does without counting it.

import { sweep } from "../src/index.ts";
import delivery from "../scenarios/delivery.ts";
import { floorEventsPerSecond, median } from "./floor.ts";

const SEED_COUNT = 2000;
const REPETITIONS = 5;
/** Issue 16's targets for dsim / floor. */
const TARGET_HASHING = 0.3;
const TARGET_FULL_TRACE = 0.15;

interface SweepRun {
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly seedsPerSecond: number;
}

function sweepEventsPerSecond(): SweepRun {
  const startedMs = performance.now();
  let events = 0;
  for (const variant of delivery.variants) {
    events += sweep({ scenario: delivery, variant: variant.name, seedFrom: 0, seedCount: SEED_COUNT, faults: "swarm" }).events;
  }
  const seconds = (performance.now() - startedMs) / 1000;
  return { events, eventsPerSecond: events / seconds, seedsPerSecond: (SEED_COUNT * delivery.variants.length) / seconds };
}

export interface KernelBenchResult {
  readonly ratio: number;
  readonly eventsPerSecond: number;
  readonly floorEventsPerSecond: number;
}

export function runKernelBench(): KernelBenchResult {
  sweepEventsPerSecond(); // warm-up: JIT and module loading are not what we measure
  const dsim: number[] = [];
  const floor: number[] = [];
  const seeds: number[] = [];
  const ratios: number[] = [];
  let events = 0;
  for (let repetition = 0; repetition < REPETITIONS; repetition++) {
    const run = sweepEventsPerSecond();
    const floorNow = floorEventsPerSecond(run.events);
    events = run.events;
    dsim.push(run.eventsPerSecond);
    seeds.push(run.seedsPerSecond);
    floor.push(floorNow);
    ratios.push(run.eventsPerSecond / floorNow);
  }
  const ratio = median(ratios);
  const verdict = (target: number) => `target ≥ ${target.toFixed(2)}: ${ratio >= target ? "met" : "not met"}`;
  console.log(`kernel: delivery sweep, ${delivery.variants.length} variants × ${SEED_COUNT} seeds, swarm faults, ${events} events per run, median of ${REPETITIONS}`);
  console.log(`  dsim   ${Math.round(median(dsim)).toLocaleString("en")} events/s  (${Math.round(median(seeds)).toLocaleString("en")} seeds/s)`);
  console.log(`  floor  ${Math.round(median(floor)).toLocaleString("en")} events/s  (bare heap, same event count, timed right after each sweep)`);
  console.log(`  ratio  dsim/floor = ${ratio.toFixed(4)}  (median of the ${REPETITIONS} paired ratios: ${ratios.map((value) => value.toFixed(3)).join(", ")})`);
  console.log(`         faults and hashing on         ${verdict(TARGET_HASHING)}`);
  console.log(`         full trace recording (always) ${verdict(TARGET_FULL_TRACE)}`);
  return { ratio, eventsPerSecond: median(dsim), floorEventsPerSecond: median(floor) };
}

if (import.meta.url === `file://${process.argv[1]}`) runKernelBench();
