// The watchdog and the heap limit, on the worker pool itself: a task whose execution stops beating
// fails with ExecutionLost naming the seed it was on, the worker is replaced, and the pool goes on
// with the next task; likewise a worker past its heap. In-process tallies end at a lost seed, and
// shards that each hold part of a hung variant merge to the unsharded summary.

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { SweepTally } from "../../src/explore/tally.ts";
import { ExecutionLost, withWorkerPool } from "../../src/explore/workers/pool.ts";
import type { SweepJob } from "../../src/explore/workers/tasks.ts";
import { main } from "../../src/cli/main.ts";
import { captureIo } from "../captureIo.ts";
import { temporaryFolder } from "../fixtures/cli.ts";

function job(variant: string): SweepJob {
  return { scenario: { path: resolve("test/fixtures/hostile.ts") }, source: "test/fixtures/hostile.ts", variant, workloadSeed: 0, sizes: {}, faults: "none", limits: {}, varyWorkload: false };
}

describe("the worker pool's watchdog", () => {
  test("a seed that loops is lost as hung at its position; the replaced worker runs the next task", async () => {
    await withWorkerPool(1, { executionTimeoutMs: 1000, heapMaxMb: 512 }, async (pool) => {
      const hung = await pool.run({ kind: "sweep", job: job("loop-in-handler"), seeds: [3, 4, 5] }).catch((error: unknown) => error);
      expect(hung).toBeInstanceOf(ExecutionLost);
      expect((hung as ExecutionLost).position).toBe(1);
      expect((hung as ExecutionLost).lost.verdict).toBe("hung");
      const { reply } = await pool.run({ kind: "sweep", job: job("loop-in-handler"), seeds: [0, 1] });
      expect(reply.outcomes.map((outcome) => [outcome.seed, outcome.verdict])).toEqual([[0, "holds"], [1, "holds"]]);
    });
  });

  test("a seed that allocates without end is lost as out-of-memory", async () => {
    await withWorkerPool(1, { executionTimeoutMs: 60_000, heapMaxMb: 128 }, async (pool) => {
      const lost = await pool.run({ kind: "sweep", job: job("allocate"), seeds: [4] }).catch((error: unknown) => error);
      expect(lost).toBeInstanceOf(ExecutionLost);
      expect((lost as ExecutionLost).lost).toMatchObject({ verdict: "out-of-memory", message: expect.stringContaining("128 MB") });
    });
  });
});

describe("the tally at a lost seed", () => {
  test("counts the seeds before it, stops there, and reports it", () => {
    const tally = new SweepTally(false);
    tally.add({ seed: 0, workloadSeed: 0, physicalHash: "a", logicalHash: "x", admissible: true, events: 3, verdict: "holds", broken: [] });
    tally.addLost({ seed: 1, workloadSeed: 0, verdict: "hung", message: "no end" });
    expect(tally.stopped).toBe(true);
    const counts = tally.counts({ scenario: "s", variant: "v", expect: "holds", seedFrom: 0, seedCount: 10 });
    expect(counts).toMatchObject({ seedsRun: 1, physicalTraces: 1, logicalTraces: 1, divergences: 0, events: 3, lost: { seed: 1, verdict: "hung", message: "no end" } });
  });
});

describe("a hung seed across shards", () => {
  test("merged shards give the unsharded summary: the same lost seed, its replay file under the merged folder", async () => {
    const root = temporaryFolder();
    const sweep = (...extra: string[]) => ["sweep", "test/fixtures/hostile.ts", "--variant", "loop-in-handler", "--seeds", "5", "--faults", "none", "--workers", "1", "--execution-timeout-ms", "1000", "--json", ...extra];
    const full = await dsim(...sweep("--out", join(root, "full")));
    for (const shard of ["0/2", "1/2"]) expect((await dsim(...sweep("--shard", shard, "--out", join(root, shard[0]!)))).code).toBeLessThanOrEqual(1);
    const merged = await dsim("report", "merge", join(root, "0"), join(root, "1"), "--out", join(root, "merged"), "--json");
    expect(merged.code).toBe(1);
    expect(full.code).toBe(1);
    const untimed = (document: Record<string, unknown>) => ({ ...document, wallSeconds: 0, eventsPerSecond: 0, lost: { ...(document.lost as object), replay: "", replayFile: "" } });
    expect(untimed(merged.json())).toEqual(untimed(full.json()));
    expect(merged.json().lost).toMatchObject({ seed: 4, verdict: "hung", replayFile: join(root, "merged", "hostile", "loop-in-handler", "seed-4.replay.json") });
    expect(JSON.parse(readFileSync(merged.json().lost.replayFile, "utf8")).expected.verdict).toBe("hung");
  });
});

async function dsim(...argv: string[]) {
  const io = captureIo();
  const code = await main(argv, io);
  return { code, json: () => JSON.parse(io.stdout.join("\n")) };
}
