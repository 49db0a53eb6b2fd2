// Seeds handed to workers in chunks sized to the measured execution time: the chunk sizes follow
// the time per seed and shrink toward the end; a sweep on two workers counts what the serial sweep
// counts; and a seed that hangs in the middle of a chunk is still reported as that seed, with the
// seeds of the chunk before it run and counted.

import { resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { CHUNK_SEEDS_FIRST, CHUNK_SEEDS_MAX, CHUNK_TARGET_MS, ChunkSizer, runSweep } from "../../src/explore/parallel.ts";
import { sweep, sweepRequestOf } from "../../src/explore/sweep.ts";
import { ExecutionLost, withWorkerPool, type WorkerPool } from "../../src/explore/workers/pool.ts";
import type { WorkerTask } from "../../src/explore/workers/tasks.ts";
import { scenarios } from "../../scenarios/index.ts";
import hostile from "../fixtures/hostile.ts";

const BUILT_INS = { path: resolve("scenarios/index.ts") };

function builtIn(name: string) {
  const scenario = scenarios.find((candidate) => candidate.name === name);
  if (scenario === undefined) throw new Error(`no built-in scenario ${name}`);
  return scenario;
}

/** The workers the pool's tasks ran on. */
function recordWorkers(pool: WorkerPool): Set<number> {
  const workers = new Set<number>();
  const run = pool.run.bind(pool);
  pool.run = ((task, placement) =>
    run(task, placement).then((done) => {
      workers.add(done.worker);
      return done;
    })) as WorkerPool["run"];
  return workers;
}

describe("ChunkSizer", () => {
  test("starts small, then sizes chunks to the target time per chunk", () => {
    const sizer = new ChunkSizer();
    expect(sizer.next(10_000, 2)).toBe(CHUNK_SEEDS_FIRST);
    sizer.observe(4, 80); // 20 ms a seed: the first chunk, warming up
    expect(sizer.next(10_000, 2)).toBe(Math.floor(CHUNK_TARGET_MS / 20));
    expect(sizer.latestMsPerSeed).toBe(20);
    sizer.observe(10, 20); // 2 ms a seed: the warm-up no longer counts
    expect(sizer.next(10_000, 2)).toBe(CHUNK_TARGET_MS / 2);
    expect(sizer.latestMsPerSeed).toBe(2);
    sizer.observe(990, 980); // now 1 ms a seed
    expect(sizer.next(10_000, 2)).toBe(CHUNK_TARGET_MS);
  });

  test("cheap seeds are capped; the last chunks shrink so that the workers end together", () => {
    const sizer = new ChunkSizer();
    sizer.observe(100_000, 1);
    sizer.observe(100_000, 1); // 0.01 µs a seed: the cap decides
    expect(sizer.next(1_000_000, 2)).toBe(CHUNK_SEEDS_MAX);
    expect(sizer.next(400, 2)).toBe(100);
    expect(sizer.next(3, 2)).toBe(1);
    expect(sizer.next(1, 4)).toBe(1);
  });

  test("a seed slower than the target goes alone", () => {
    const sizer = new ChunkSizer();
    sizer.observe(2, 400);
    expect(sizer.next(1000, 2)).toBe(1);
  });
});

describe("a sweep on two workers", () => {
  for (const [name, variant] of [["delivery", "retry-set"], ["idempotency", "naive"]] as const) {
    test(`counts what the serial sweep counts, its chunks run on both workers: ${name}/${variant}`, async () => {
      const scenario = builtIn(name);
      const input = { scenario, variant, seedCount: 400, faults: "light" } as const;
      const serial = sweep(input);
      await withWorkerPool(2, { executionTimeoutMs: 60_000, heapMaxMb: 512 }, async (pool) => {
        const workers = recordWorkers(pool);
        const run = await runSweep(sweepRequestOf(input), { module: { ...BUILT_INS, name }, source: name, pool, determinism: "off" });
        expect(run.result.outcomes).toEqual(serial.outcomes);
        const { firstBreaks, firstDivergence, ...counts } = run.result;
        const { firstBreaks: serialBreaks, firstDivergence: serialFirst, ...serialCounts } = serial;
        expect(counts).toEqual(serialCounts);
        expect(firstBreaks.map((result) => result.physicalHash)).toEqual(serialBreaks.map((result) => result.physicalHash));
        expect(firstDivergence?.seed).toBe(serialFirst?.seed);
        expect([...workers].sort()).toEqual([0, 1]);
      }, { initialWorkers: 2 });
    });
  }
});

describe("the seeds that first broke an invariant", () => {
  test("are handed to the caller, run again, as soon as the tally counts them: before the sweep ends", async () => {
    const name = "idempotency";
    const input = { scenario: builtIn(name), variant: "naive", seedCount: 600, faults: "light" } as const;
    const serial = sweep(input);
    await withWorkerPool(2, { executionTimeoutMs: 60_000, heapMaxMb: 512 }, async (pool) => {
      let counted = 0;
      const told: { seed: number; countedThen: number; executed: Promise<unknown> }[] = [];
      const run = await runSweep(
        { ...sweepRequestOf(input), onSeed: (done) => (counted = done) },
        { module: { ...BUILT_INS, name }, source: name, pool, determinism: "off", onFirstBreak: (outcome, executed) => told.push({ seed: outcome.seed, countedThen: counted, executed }) },
      );
      // Each first-breaking seed once, in seed order, when the seeds up to it (and no further chunk's) were counted.
      expect(told.map((entry) => entry.seed)).toEqual(serial.firstBreaks.map((result) => result.seed));
      const first = told[0]!;
      expect(first.seed).toBe(serial.firstDivergence!.seed);
      expect(first.countedThen).toBeLessThan(first.seed + 1);
      expect(first.countedThen).toBeLessThan(input.seedCount - 100);
      // The execution handed over is the one the sweep reports.
      expect(await first.executed).toBe(run.firstDivergence);
    }, { initialWorkers: 2 });
  });
});

describe("a hung seed inside a chunk", () => {
  test("is reported as that seed; the seeds of its chunk before it still run and are counted", async () => {
    // Seeds 0-3 behave and seed 4 spins forever (test/reliability/watchdog.test.ts): from seed 1, the
    // first chunk is [1, 2, 3, 4], the hung seed at its last place.
    const input = { scenario: hostile, variant: "loop-in-handler", seedFrom: 1, seedCount: 40, faults: "none" } as const;
    const calm = sweep({ ...input, variant: "calm", seedCount: 3 });
    await withWorkerPool(2, { executionTimeoutMs: 1000, heapMaxMb: 512 }, async (pool) => {
      const lostAt: number[] = [];
      const runTask = pool.run.bind(pool);
      pool.run = ((task: WorkerTask, placement) =>
        runTask(task, placement).catch((error: unknown) => {
          if (error instanceof ExecutionLost && task.kind === "sweep" && task.seeds[error.position] === 4) lostAt.push(error.position);
          throw error;
        })) as WorkerPool["run"];
      const run = await runSweep(sweepRequestOf(input), { module: { path: resolve("test/fixtures/hostile.ts") }, source: "hostile", pool, determinism: "off" });
      expect(lostAt).toEqual([3]); // the watchdog named seed 4 at the last place of its chunk (chunks past it may hang too)
      expect(run.result.lost).toMatchObject({ seed: 4, verdict: "hung" });
      expect(run.result.outcomes.map((outcome) => outcome.seed)).toEqual([1, 2, 3]);
      expect(run.result.seedsRun).toBe(3);
      expect(run.result.outcomes.map((outcome) => outcome.verdict)).toEqual(calm.outcomes.map((outcome) => outcome.verdict));
    }, { initialWorkers: 2 });
  });
});
