// Kernel throughput: events per second of a `delivery` sweep (every variant, swarm faults),
// beside the bare-heap floor over the same number of events, measured in the same process.

import { sweep } from "../src/index.ts";
import delivery from "../scenarios/delivery.ts";
import { floorEventsPerSecond, median } from "./floor.ts";

const SEED_COUNT = 2000;
const REPETITIONS = 5;

function sweepEventsPerSecond(): { events: number; eventsPerSecond: number; seedsPerSecond: number } {
  const startedMs = performance.now();
  let events = 0;
  for (const variant of delivery.variants) {
    events += sweep({ scenario: delivery, variant: variant.name, seedFrom: 0, seedCount: SEED_COUNT, faults: "swarm" }).events;
  }
  const seconds = (performance.now() - startedMs) / 1000;
  return { events, eventsPerSecond: events / seconds, seedsPerSecond: (SEED_COUNT * delivery.variants.length) / seconds };
}

export function runKernelBench(): void {
  sweepEventsPerSecond(); // warm-up: JIT and module loading are not what we measure
  const dsim: number[] = [];
  const floor: number[] = [];
  const seeds: number[] = [];
  let events = 0;
  for (let repetition = 0; repetition < REPETITIONS; repetition++) {
    const run = sweepEventsPerSecond();
    events = run.events;
    dsim.push(run.eventsPerSecond);
    seeds.push(run.seedsPerSecond);
    floor.push(floorEventsPerSecond(run.events));
  }
  const dsimMedian = median(dsim);
  const floorMedian = median(floor);
  console.log(`kernel: delivery sweep, ${delivery.variants.length} variants × ${SEED_COUNT} seeds, swarm faults, ${events} events per run, median of ${REPETITIONS}`);
  console.log(`  dsim   ${Math.round(dsimMedian).toLocaleString("en")} events/s  (${Math.round(median(seeds)).toLocaleString("en")} seeds/s)`);
  console.log(`  floor  ${Math.round(floorMedian).toLocaleString("en")} events/s  (bare heap, same event count)`);
  console.log(`  ratio  dsim/floor = ${(dsimMedian / floorMedian).toFixed(4)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) runKernelBench();
