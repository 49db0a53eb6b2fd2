// CI regression sweeps, end to end through the CLI: shards merged give the unsharded summary,
// CI mode's exit codes, shrinking the first divergence, JUnit XML, and merge's bad inputs.

import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isChance, type DecisionKind } from "../../src/core/tape.ts";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { summaryFromStore } from "../../src/report/summaryPaths.ts";
import { captureIo } from "../captureIo.ts";

const MISLABELLED = "test/fixtures/mislabelled.ts";

async function dsim(...argv: string[]) {
  const io = captureIo();
  const code = await main(argv, io);
  return { code, io, json: () => JSON.parse(io.stdout.join("\n")) };
}

/** The summary without what depends on the clock. */
function untimed(summary: unknown): unknown {
  return JSON.parse(JSON.stringify(summary), (key, value) => (key === "wallSeconds" || key === "eventsPerSecond" ? undefined : value));
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), "dsim-sweep-"));
}

describe("shards", () => {
  // Every variant of delivery: holds and diverges, so merge recounts both kinds of sweep. (The
  // identity does not depend on the scenario; `npm start` sweeps --all.)
  for (const mode of [["--seeds", "40"], ["--expect", "--seeds", "30", "--from", "3"]]) {
    it(`merged shards give the unsharded summary (${mode.join(" ")})`, async () => {
      const root = scratch();
      const full = await dsim("sweep", "delivery", ...mode, "--workers", "1", "--out", join(root, "full"), "--json");
      const shards = [];
      for (const shard of ["0/3", "1/3", "2/3"]) shards.push(await dsim("sweep", "delivery", ...mode, "--workers", "1", "--shard", shard, "--out", join(root, shard.replace("/", "-")), "--json"));
      expect(shards.map((shard) => shard.json().sweeps[0].seeds.count).reduce((a: number, b: number) => a + b)).toBe(full.json().sweeps[0].seeds.count);
      const merged = await dsim("report", "merge", join(root, "0-3"), join(root, "1-3"), join(root, "2-3"), "--out", join(root, "full"), "--json");
      expect(merged.code).toBe(full.code);
      expect(untimed(merged.json())).toEqual(untimed(full.json()));
      const stored = JSON.parse(readFileSync(join(root, "full", "summary.json"), "utf8"));
      expect(untimed(summaryFromStore(stored, join(root, "full")))).toEqual(untimed(full.json()));
      for (const sweep of merged.json().sweeps) {
        if (sweep.firstDivergence === null) continue;
        expect(existsSync(sweep.firstDivergence.replayFile)).toBe(true);
        expect(existsSync(sweep.firstDivergence.shrunk.shrunkFile)).toBe(true);
      }
    });
  }

  it("a shard holds every n-th seed of the range", async () => {
    const root = scratch();
    await dsim("sweep", "delivery", "--variant", "sum", "--seeds", "10", "--from", "5", "--shard", "1/4", "--workers", "1", "--no-shrink", "--out", root, "--json");
    const seeds = readFileSync(join(root, "seeds.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line).seed);
    expect(seeds).toEqual([6, 10, 14]);
  });

  it("refuses to merge a missing or repeated shard, or a folder that is not a shard's", async () => {
    const root = scratch();
    for (const shard of ["0/2", "1/2"]) await dsim("sweep", "delivery", "--variant", "sum", "--seeds", "10", "--shard", shard, "--workers", "1", "--no-shrink", "--out", join(root, shard[0]!), "--json");
    const missing = await dsim("report", "merge", join(root, "0"), "--out", join(root, "m"));
    expect(missing.code).toBe(2);
    expect(missing.io.stderr.join()).toMatch(/give each shard 0\/2 … 1\/2 once/);
    expect((await dsim("report", "merge", join(root, "0"), join(root, "0"), "--out", join(root, "m"))).code).toBe(2);
    const unsharded = join(root, "plain");
    await dsim("sweep", "delivery", "--variant", "sum", "--seeds", "5", "--workers", "1", "--no-shrink", "--out", unsharded, "--json");
    const notShard = await dsim("report", "merge", unsharded, "--out", join(root, "m"));
    expect(notShard.code).toBe(2);
    expect(notShard.io.stderr.join()).toMatch(/seeds.jsonl does not exist/);
  });
});

describe("the tally per invariant", () => {
  // idempotency/naive breaks four invariants; one-result-per-operation first at a later seed than
  // the others, so its replay file is not the first divergence's.
  it("is the same serially, on workers and across merged shards, with one replay file per first seed", async () => {
    const root = scratch();
    const args = ["sweep", "idempotency", "--variant", "naive", "--seeds", "60", "--no-shrink", "--json"];
    const serial = await dsim(...args, "--workers", "1", "--out", join(root, "serial"));
    const parallel = await dsim(...args, "--workers", "2", "--out", join(root, "parallel"));
    for (const shard of ["0/2", "1/2"]) await dsim(...args, "--workers", "1", "--shard", shard, "--out", join(root, shard.replace("/", "-")));
    const merged = await dsim("report", "merge", join(root, "0-2"), join(root, "1-2"), "--out", join(root, "merged"), "--json");
    const tallyOf = (run: Awaited<ReturnType<typeof dsim>>, out: string) =>
      run.json().invariants.map((invariant: { replayFile: string; replay: string }) => ({ ...invariant, replayFile: invariant.replayFile.replace(out, "OUT"), replay: invariant.replay.replace(out, "OUT") }));
    const tally = tallyOf(serial, join(root, "serial"));
    expect(tallyOf(parallel, join(root, "parallel"))).toEqual(tally);
    expect(tallyOf(merged, join(root, "merged"))).toEqual(tally);
    expect(tally.map((invariant: { invariant: string }) => invariant.invariant).sort()).toEqual(["balance", "exactly-once", "logical-trace", "one-result-per-operation"]);
    const firstSeed = serial.json().firstDivergence.seed;
    const later = tally.find((invariant: { firstSeed: number }) => invariant.firstSeed !== firstSeed);
    expect(later).toBeDefined();
    for (const out of ["serial", "merged"]) {
      const folder = join(root, out, "idempotency", "naive");
      const seeds = [...new Set(tally.map((invariant: { firstSeed: number }) => invariant.firstSeed))].sort((a, b) => (a as number) - (b as number));
      expect(readdirSync(folder).filter((file) => file.endsWith(".replay.json")).sort()).toEqual(seeds.map((seed) => `seed-${seed}.replay.json`).sort());
    }
    // The later invariant's replay file reproduces it.
    const replayed = await dsim("replay", join(root, "merged", "idempotency", "naive", `seed-${later.firstSeed}.replay.json`), "--json");
    expect(replayed.json().matches).toBe(true);
    expect(replayed.json().violations.map((violation: { invariant: string }) => violation.invariant)).toContain(later.invariant);
  });

  it("merge refuses seeds.jsonl lines without what the tally needs", async () => {
    const root = scratch();
    for (const shard of ["0/2", "1/2"]) await dsim("sweep", "delivery", "--variant", "sum", "--seeds", "6", "--shard", shard, "--workers", "1", "--no-shrink", "--out", join(root, shard[0]!), "--json");
    const file = join(root, "0", "seeds.jsonl");
    const lines = readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line));
    writeFileSync(file, lines.map(({ broken: _broken, ...line }) => `${JSON.stringify(line)}\n`).join(""));
    const merged = await dsim("report", "merge", join(root, "0"), join(root, "1"), "--out", join(root, "m"));
    expect(merged.code).toBe(2);
    expect(merged.io.stderr.join()).toMatch(/no 'broken' list or 'admissible' flag/);
  });
});

describe("--vary-workload", () => {
  it("one logical input per seed: the largest count per input is 1, the same on workers, and a replay file keeps its seed's input", async () => {
    const root = scratch();
    const args = ["sweep", "idempotency", "--variant", "naive", "--seeds", "20", "--vary-workload", "--no-shrink", "--json"];
    const serial = await dsim(...args, "--workers", "1", "--out", join(root, "serial"));
    const parallel = await dsim(...args, "--workers", "2", "--out", join(root, "parallel"));
    const summary = serial.json();
    expect(summary).toMatchObject({ workloadSeed: "varies", logicalTraces: 1, physicalTraces: 20 });
    expect(summary.divergences).toBeGreaterThan(0);
    const counts = (run: typeof serial) => ({ ...run.json(), invariants: undefined, firstDivergence: undefined, wallSeconds: undefined, eventsPerSecond: undefined });
    expect(counts(parallel)).toEqual(counts(serial));
    const later = summary.invariants.find((invariant: { firstSeed: number }) => invariant.firstSeed > 0);
    expect(later).toBeDefined();
    const file = JSON.parse(readFileSync(later.replayFile, "utf8"));
    expect(file.workloadSeed).toBe(later.firstSeed);
    const replayed = await dsim("replay", later.replayFile, "--json");
    expect(replayed.json().matches).toBe(true);
  });
});

describe("CI mode", () => {
  it("exits 1 when a variant does not behave as declared, and JUnit says which", async () => {
    const root = scratch();
    const junit = join(root, "junit.xml");
    const run = await dsim("sweep", MISLABELLED, "--expect", "--seeds", "30", "--workers", "1", "--no-shrink", "--out", root, "--junit", junit, "--json");
    expect(run.code).toBe(1);
    const summary = run.json();
    expect(summary.expectationsUnmet).toBe(2);
    const xml = readFileSync(junit, "utf8");
    expect(xml).toMatch(/<testsuites name="dsim" tests="2" failures="2" errors="0"/);
    expect(xml).toMatch(/<testcase classname="dsim.mislabelled" name="sum"[^>]*>\s*<failure type="diverges" message="diverges \(declared holds\)">/);
    expect(xml).toMatch(/name="retry-set"[^>]*>\s*<failure type="holds" message="not caught within 20 seeds \(declared diverges\)">/);
  });

  it("exits 0 when every variant behaves as declared; JUnit has one passing case per variant", async () => {
    const root = scratch();
    const junit = join(root, "junit.xml");
    const run = await dsim("sweep", "delivery", "--expect", "--seeds", "30", "--workers", "1", "--no-shrink", "--out", root, "--junit", junit);
    expect(run.code).toBe(0);
    expect(run.io.stdout.join("\n")).toMatch(/5\/5 variants behaved as declared/);
    const xml = readFileSync(junit, "utf8");
    expect(xml.match(/<testcase /g)).toHaveLength(5);
    expect(xml).not.toMatch(/<failure|<error/);
  });
});

describe("shrinking in a sweep", () => {
  it("shrinks the first divergence by default and writes it beside the replay file", async () => {
    const root = scratch();
    const run = await dsim("sweep", "delivery", "--variant", "retry-sum", "--expect", "--workers", "1", "--out", root, "--json");
    const first = run.json().firstDivergence;
    expect(first.shrunk.faultsAfter).toBe(1);
    expect(first.shrunk.faultsBefore).toBeGreaterThan(1);
    expect(first.shrunk.shrunkFile).toBe(first.replayFile.replace(/\.replay\.json$/, ".shrunk.replay.json"));
    const replay = await dsim("replay", first.shrunk.shrunkFile, "--json");
    expect(replay.code).toBe(1);
    expect(replay.json()).toMatchObject({ matches: true, verdict: "diverges" });
    const file = JSON.parse(readFileSync(first.shrunk.shrunkFile, "utf8"));
    expect(file.formatVersion).toBe(2);
    expect(file.schedule.filter((decision: { kind: DecisionKind }) => isChance(decision.kind))).toHaveLength(1);
  });

  it("--no-shrink skips it", async () => {
    const run = await dsim("sweep", "delivery", "--variant", "sum", "--expect", "--workers", "1", "--no-shrink", "--out", scratch(), "--json");
    expect(run.json().firstDivergence.shrunk).toBeNull();
  });

  it("dsim shrink FILE prints the faults that remain", async () => {
    const root = scratch();
    const run = await dsim("sweep", "delivery", "--variant", "sum", "--expect", "--workers", "1", "--no-shrink", "--out", root, "--json");
    const shrunk = await dsim("shrink", run.json().firstDivergence.replayFile);
    expect(shrunk.code).toBe(1);
    const text = shrunk.io.stdout.join("\n");
    expect(text).toMatch(/→ 1 faults/);
    expect(text).toMatch(/still breaks: logical-trace/);
    expect(text).toMatch(/faults:\n +1\. \d+ ms {2}drop sender→receiver #\d+ \(message \d+\)/);
  });
});

describe("a shard in CI mode", () => {
  it("fails for a holds variant that diverges, but leaves 'caught within the budget' to the merge", async () => {
    const root = scratch();
    // retry-set is declared to diverge within 20 seeds (it never does); sum is declared to hold (it does not).
    const shard = await dsim("sweep", MISLABELLED, "--variant", "retry-set", "--expect", "--shard", "0/2", "--workers", "1", "--out", join(root, "0"), "--json");
    expect(shard.code).toBe(0);
    await dsim("sweep", MISLABELLED, "--variant", "retry-set", "--expect", "--shard", "1/2", "--workers", "1", "--out", join(root, "1"), "--json");
    const merged = await dsim("report", "merge", join(root, "0"), join(root, "1"), "--out", join(root, "m"), "--json");
    expect(merged.code).toBe(1);
    expect(merged.json()).toMatchObject({ expectationMet: false, seeds: { count: 20, budget: 20 } });
    const holds = await dsim("sweep", MISLABELLED, "--variant", "sum", "--expect", "--seeds", "20", "--shard", "0/2", "--workers", "1", "--no-shrink", "--out", join(root, "s"), "--json");
    expect(holds.code).toBe(1);
  });
});
