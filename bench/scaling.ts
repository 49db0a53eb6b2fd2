// Scaling: seeds per second of each built-in scenario on 1 and on 2 worker threads (the sweep's
// own chunking, runSweep, on pools started and warmed before timing: start-up is printed apart),
// with the speed-up beside its target; then the cost of one seed as the scenario grows (delivery's
// messages, Raft's replicas: `--size replicas=N`), time per event as a multiple of the smallest
// size's (a figure to watch: the issue sets no target for it). Each growth table warms the JIT on
// all its sizes before it times the first. Every throughput is printed beside the bare-heap floor
// measured in this process.
// Run: node --import tsx bench/scaling.ts   (DSIM_BENCH_QUICK=1: shorter runs, one repetition)

import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import type { Scenario, Sizes } from "../src/core/scenario.ts";
import { runSweep } from "../src/explore/parallel.ts";
import { sweep, sweepRequestOf } from "../src/explore/sweep.ts";
import { withWorkerPool, type WorkerPool } from "../src/explore/workers/pool.ts";
import delivery from "../scenarios/delivery.ts";
import { consensus } from "../scenarios/consensus/index.ts";
import { scenarios } from "../scenarios/index.ts";
import { floorEventsPerSecond, median } from "./floor.ts";

const QUICK = process.env.DSIM_BENCH_QUICK === "1";
/** Target of 2 workers over 1 on 2 cores (issue 16). */
const SPEEDUP_TARGET = 1.8;
/** Wall-clock time each measured sweep aims at (seeds are calibrated to it). */
const MEASURE_MS = QUICK ? 300 : 800;
const REPETITIONS = QUICK ? 1 : 3;
/** Seeds of a measured sweep: at least, at most. */
const SEEDS_MIN = 20;
const SEEDS_MAX = 50_000;
/** Wall-clock time a growth table spends warming the JIT on all its sizes before it times the first. */
const WARM_UP_MS = QUICK ? 300 : 1000;
const WATCHDOG = { executionTimeoutMs: 60_000, heapMaxMb: 1024 } as const;
const BUILT_INS = resolve("scenarios/index.ts");

/** The first variant declared to hold: it never stops early. */
function holdingVariant(scenario: Scenario<any>): string {
  return (scenario.variants.find((variant) => variant.expect === "holds") ?? scenario.variants[0]!).name;
}

/** Seeds that take about MEASURE_MS at `secondsPerSeed`. */
function seedsFor(secondsPerSeed: number): number {
  return Math.max(SEEDS_MIN, Math.min(SEEDS_MAX, Math.round(MEASURE_MS / 1000 / Math.max(secondsPerSeed, 1e-7))));
}

/** A sweep on `pool`: its wall-clock seconds, and the CPU seconds (user + system) of every thread of this process meanwhile. */
async function sweepOnPool(pool: WorkerPool, scenario: Scenario<any>, variant: string, seedCount: number): Promise<{ seconds: number; cpuSeconds: number; events: number }> {
  const request = sweepRequestOf({ scenario, variant, seedCount });
  const startedMs = performance.now();
  const cpuBefore = process.cpuUsage();
  const run = await runSweep(request, { module: { path: BUILT_INS, name: scenario.name }, source: scenario.name, pool, determinism: "off" });
  const cpu = process.cpuUsage(cpuBefore);
  return { seconds: (performance.now() - startedMs) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, events: run.result.events };
}

async function workersTable(): Promise<void> {
  const cores = availableParallelism();
  console.log(`scaling: seeds/s of each built-in scenario's first holding variant on 1 and 2 workers (swarm faults; pools started and warmed first), median of ${REPETITIONS}; ${cores} cores`);
  console.log(`  ${"scenario/variant".padEnd(34)} ${"seeds".padStart(6)} ${"1 worker".padStart(10)} ${"2 workers".padStart(10)}  speed-up (target ≥ ${SPEEDUP_TARGET})  CPU 2/1  1 worker events/s vs floor`);
  console.log("  (CPU 2/1: the process's CPU seconds, every thread, for the same seeds on 2 workers over 1: above 1, two workers spend more CPU than one)");
  const speedups: number[] = [];
  await withWorkerPool(1, WATCHDOG, async (one) => {
    await withWorkerPool(2, WATCHDOG, async (two) => {
      for (const scenario of scenarios) {
        const variant = holdingVariant(scenario);
        for (const pool of [one, two]) await sweepOnPool(pool, scenario, variant, SEEDS_MIN); // loads the scenario, warms the JIT
        const probe = await sweepOnPool(one, scenario, variant, 2 * SEEDS_MIN);
        const seeds = seedsFor(probe.seconds / (2 * SEEDS_MIN));
        const perSecond: { one: number[]; two: number[]; ratio: number[]; cpu: number[] } = { one: [], two: [], ratio: [], cpu: [] };
        let events = 0;
        for (let repetition = 0; repetition < REPETITIONS; repetition++) {
          const alone = await sweepOnPool(one, scenario, variant, seeds);
          const pair = await sweepOnPool(two, scenario, variant, seeds);
          events = alone.events;
          perSecond.one.push(seeds / alone.seconds);
          perSecond.two.push(seeds / pair.seconds);
          perSecond.ratio.push(alone.events / alone.seconds / floorEventsPerSecond(alone.events));
          perSecond.cpu.push(pair.cpuSeconds / alone.cpuSeconds);
        }
        const speedup = median(perSecond.two) / median(perSecond.one);
        speedups.push(speedup);
        const mark = speedup >= SPEEDUP_TARGET ? "met" : "not met";
        console.log(
          `  ${`${scenario.name}/${variant}`.padEnd(34)} ${String(seeds).padStart(6)} ${Math.round(median(perSecond.one)).toLocaleString("en").padStart(10)} ${Math.round(median(perSecond.two)).toLocaleString("en").padStart(10)}  ${speedup.toFixed(2)}× ${mark.padEnd(14)}  ${median(perSecond.cpu).toFixed(2).padStart(7)}  ratio ${median(perSecond.ratio).toFixed(4)} (${Math.round(events / seeds)} events/seed)`,
        );
      }
    }, { initialWorkers: 2 });
  });
  console.log(`  speed-up, median over scenarios: ${median(speedups).toFixed(2)}× (target ≥ ${SPEEDUP_TARGET} on 2 cores; a worker's start-up, excluded here, measured ${Math.round(measuredStartMs ?? 0)} ms)`);
}

let measuredStartMs: number | undefined;

interface SizeCase {
  readonly label: string;
  readonly scenario: Scenario<any>;
  readonly variant: string;
  readonly sizes: Sizes;
}

/**
 * Runs every size of a table in turn, SEEDS_MIN seeds each, for WARM_UP_MS: the code they share is
 * compiled before the first size is timed, so the first row is not measured colder than the others.
 */
function warmUp(cases: readonly SizeCase[]): number {
  const startedMs = performance.now();
  let rounds = 0;
  while (rounds === 0 || performance.now() - startedMs < WARM_UP_MS) {
    for (const { scenario, variant, sizes } of cases) sweep({ scenario, variant, sizes, seedCount: SEEDS_MIN, seedFrom: 1_000_000 + rounds * SEEDS_MIN });
    rounds++;
  }
  return rounds;
}

/** One thread, in this process: µs per seed and per event at each size, per event as a multiple of the smallest size's. */
function growthTable(title: string, cases: readonly SizeCase[]): void {
  const rounds = warmUp(cases);
  console.log(`${title}, one thread, swarm faults, median of ${REPETITIONS} (after ${rounds} warm-up rounds over every size)`);
  let firstPerEventUs: number | undefined;
  for (const { label, scenario, variant, sizes } of cases) {
    const startedMs = performance.now();
    sweep({ scenario, variant, sizes, seedCount: SEEDS_MIN, seedFrom: 2_000_000 });
    const seeds = seedsFor((performance.now() - startedMs) / 1000 / SEEDS_MIN);
    const perSeedUs: number[] = [];
    const perEventUs: number[] = [];
    const floorRatio: number[] = [];
    let events = 0;
    for (let repetition = 0; repetition < REPETITIONS; repetition++) {
      const startedMs = performance.now();
      const result = sweep({ scenario, variant, sizes, seedCount: seeds });
      const elapsedUs = (performance.now() - startedMs) * 1000;
      events = result.events;
      perSeedUs.push(elapsedUs / seeds);
      perEventUs.push(elapsedUs / result.events);
      floorRatio.push(result.events / (elapsedUs / 1e6) / floorEventsPerSecond(result.events));
    }
    const perEvent = median(perEventUs);
    firstPerEventUs ??= perEvent;
    const growth = perEvent / firstPerEventUs;
    console.log(
      `  ${label.padEnd(22)} ${Math.round(median(perSeedUs)).toLocaleString("en").padStart(8)} µs/seed  ${String(Math.round(events / seeds)).padStart(6)} events/seed  ${perEvent.toFixed(2).padStart(6)} µs/event  ` +
        `×${growth.toFixed(2)} per event of the smallest  floor ratio ${median(floorRatio).toFixed(4)}`,
    );
  }
}

export async function runScalingBench(): Promise<void> {
  await withWorkerPool(1, WATCHDOG, async (pool) => {
    await pool.ready();
    measuredStartMs = pool.workerStartMs;
  });
  await workersTable();
  console.log("");
  growthTable("cost per seed as delivery grows (retry-set, messages)", [3, 5, 10, 20].map((messages) => ({ label: `messages=${messages}`, scenario: delivery, variant: "retry-set", sizes: { messages } })));
  console.log("");
  growthTable("cost per seed as Raft grows (consensus/raft, replicas)", [3, 5, 7].map((replicas) => ({ label: `replicas=${replicas}`, scenario: consensus, variant: "raft", sizes: { replicas } })));
}

if (import.meta.url === `file://${process.argv[1]}`) await runScalingBench();
