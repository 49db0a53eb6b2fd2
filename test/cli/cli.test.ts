// End-to-end tests of the CLI contracts in DESIGN.md: JSON fields, exit codes, replay files,
// determinism across processes, and one clean line on stderr (exit 2) for every bad input.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { filesUnder, runCli, spawnCli, temporaryFolder } from "../fixtures/cli.ts";

describe("dsim run", () => {
  test("gives the same hashes in two separate processes", () => {
    const args = ["run", "delivery", "--variant", "sum", "--seed", "7", "--json", "--out", temporaryFolder()];
    const first = spawnCli(args);
    const second = spawnCli(args);
    expect(first.stderr).toBe("");
    const one = JSON.parse(first.stdout);
    const two = JSON.parse(second.stdout);
    expect(two.physicalHash).toBe(one.physicalHash);
    expect(two.logicalHash).toBe(one.logicalHash);
    for (const field of ["scenario", "variant", "seed", "faults", "physicalHash", "logicalHash", "events", "verdict", "violations", "replay"]) {
      expect(one).toHaveProperty(field);
    }
    expect(one.verdict).toBe(first.code === 1 ? "diverges" : "holds");
  });

  test("seeds 1..100 give 100 distinct physical hashes", async () => {
    const hashes = new Set<string>();
    for (let seed = 1; seed <= 100; seed++) {
      const { stdout } = await runCli(["run", "delivery", "--variant", "sum", "--seed", String(seed), "--json", "--out", temporaryFolder()]);
      hashes.add(JSON.parse(stdout).physicalHash);
    }
    expect(hashes.size).toBe(100);
  });

  test("a user's own scenario file runs like a built-in one", async () => {
    const { code, stdout } = await runCli(["run", "./docs/examples/ping.ts", "--variant", "retry", "--seed", "3", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ scenario: "ping", variant: "retry", verdict: "holds" });
  });

  test("a handler that throws is that seed's divergence, not a crash of dsim", async () => {
    const folder = temporaryFolder();
    const file = join(folder, "throws.ts");
    writeFileSync(file, `import { defineScenario } from ${JSON.stringify(join(process.cwd(), "src/index.ts"))};
export default defineScenario({ name: "throws", description: "", variants: [{ name: "v", expect: "holds", description: "" }],
  workload: () => null, nodes: () => ({ a: { init: () => ({}), start: () => { throw new Error("boom"); } } }), project: () => null });\n`);
    // A real process from a bare folder: Node takes the .ts file for CommonJS, the binary and each
    // worker thread must still load it.
    const { code, stdout } = spawnCli(["sweep", file, "--seeds", "3", "--json", "--out", join(folder, "out")]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout).sweeps[0];
    expect(report.divergences).toBe(3);
    expect(report.firstDivergence.violations[0]).toMatchObject({ invariant: "handler-error" });
    expect(report.firstDivergence.violations[0].message).toContain("boom");
  });
});

describe("dsim sweep and replay", () => {
  test("sum diverges (exit 1) and its replay file reproduces the same failure", async () => {
    const out = temporaryFolder();
    const swept = await runCli(["sweep", "delivery", "--variant", "sum", "--seeds", "2000", "--json", "--out", out]);
    expect(swept.code).toBe(1);
    const report = JSON.parse(swept.stdout);
    expect(report).toMatchObject({ scenario: "delivery", variant: "sum", seeds: { from: 0, count: 2000 } });
    expect(report.divergences).toBeGreaterThan(0);
    for (const field of ["physicalTraces", "logicalTraces", "events", "wallSeconds", "eventsPerSecond"]) expect(report).toHaveProperty(field);
    const replayFile = report.firstDivergence.replayFile as string;
    expect(existsSync(replayFile)).toBe(true);
    expect(report.firstDivergence.replay).toBe(`dsim replay ${replayFile}`);

    const replayed = spawnCli(["replay", replayFile, "--json"]);
    expect(replayed.code).toBe(1);
    const again = JSON.parse(replayed.stdout);
    const recorded = JSON.parse(readFileSync(replayFile, "utf8"));
    expect(again.matches).toBe(true);
    expect(again.physicalHash).toBe(recorded.expected.physicalHash);
    expect(again.logicalHash).toBe(recorded.expected.logicalHash);
    expect(again.violations).toEqual(report.firstDivergence.violations);
  });

  test("a replay file whose hashes no longer match says what changed", async () => {
    const out = temporaryFolder();
    const swept = JSON.parse((await runCli(["sweep", "delivery", "--variant", "sum", "--seeds", "50", "--json", "--out", out])).stdout);
    const file = swept.firstDivergence.replayFile as string;
    const recorded = JSON.parse(readFileSync(file, "utf8"));
    recorded.expected.physicalHash = "0000000000000000";
    writeFileSync(file, JSON.stringify(recorded));
    const replayed = await runCli(["replay", file, "--json"]);
    expect(replayed.code).toBe(1);
    const result = JSON.parse(replayed.stdout);
    expect(result.matches).toBe(false);
    expect(result.changes[0]).toContain("physical hash 0000000000000000");
  });

  test("retry-set holds (exit 0) with one logical trace over many physical traces", async () => {
    const { code, stdout } = await runCli(["sweep", "delivery", "--variant", "retry-set", "--seeds", "500", "--json", "--out", temporaryFolder()]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.logicalTraces).toBe(1);
    expect(report.divergences).toBe(0);
    expect(report.firstDivergence).toBeNull();
    expect(report.physicalTraces).toBeGreaterThan(300);
  });

  test("--all --expect passes when every variant behaves as it declares", async () => {
    // Expectations only: shrinking every first divergence is the shrink tests' (and CI's) work.
    const { code, stdout } = await runCli(["sweep", "--all", "--expect", "--seeds", "100", "--no-shrink", "--json", "--out", temporaryFolder()]);
    const document = JSON.parse(stdout);
    expect(document.expectationsUnmet).toBe(0);
    expect(code).toBe(0);
    // One sweep per variant of every built-in scenario, as `dsim list` names them.
    const listed = JSON.parse((await runCli(["list", "--json"])).stdout) as { scenarios: { name: string; variants: { name: string }[] }[] };
    const variants = listed.scenarios.flatMap((scenario) => scenario.variants.map((variant) => `${scenario.name}/${variant.name}`));
    expect(document.sweeps.map((sweep: { scenario: string; variant: string }) => `${sweep.scenario}/${sweep.variant}`)).toEqual(variants);
    // Every built-in variant, the rarest bugs run up to their first divergence (vote-by-length: over
    // 1,000 Raft seeds): about a minute alone on 2 cores, several under a loaded suite.
  }, 600_000);

  test("list --json names scenarios and variants with their expectations", async () => {
    const { code, stdout } = await runCli(["list", "--json"]);
    expect(code).toBe(0);
    const delivery = JSON.parse(stdout).scenarios.find((scenario: { name: string }) => scenario.name === "delivery");
    expect(delivery.variants).toContainEqual(expect.objectContaining({ name: "sum", expect: "diverges" }));
    expect(delivery.variants).toContainEqual(expect.objectContaining({ name: "retry-set", expect: "holds" }));
  });
});

describe("bad input: one line on stderr, exit 2, nothing written", () => {
  const folder = temporaryFolder();
  const write = (name: string, text: string) => {
    const path = join(folder, name);
    writeFileSync(path, text);
    return path;
  };
  const goodReplay = { format: "dsim-replay", formatVersion: 1, dsimVersion: "0.1.0", scenario: "delivery", variant: "sum", seed: 1, workloadSeed: 0, faults: { dropProbability: 0.5 }, limits: { eventsMax: 1000, virtualTimeMaxMs: 10000 }, expected: { physicalHash: "x", logicalHash: "y", verdict: "holds", violations: [] } };
  const cases: Record<string, string[]> = {
    "unknown scenario": ["run", "nope", "--seed", "1"],
    "unknown variant": ["run", "delivery", "--variant", "nope", "--seed", "1"],
    "negative seed": ["run", "delivery", "--seed", "-1"],
    "fractional seed": ["run", "delivery", "--seed", "1.5"],
    "seed not a number": ["run", "delivery", "--seed", "abc"],
    "unsafe seed": ["run", "delivery", "--seed", "99999999999999999999"],
    "malformed replay file": ["replay", write("bad.json", "{ not json")],
    "unknown-version replay file": ["replay", write("v9.json", JSON.stringify({ ...goodReplay, formatVersion: 9 }))],
    "replay file with a bad seed": ["replay", write("seed.json", JSON.stringify({ ...goodReplay, seed: -4 }))],
    "missing replay file": ["replay", join(folder, "absent.json")],
    "fault file with an unknown key": ["run", "delivery", "--seed", "1", "--faults", write("unknown.json", JSON.stringify({ dropRate: 0.1 }))],
    "fault file with a probability above 1": ["run", "delivery", "--seed", "1", "--faults", write("range.json", JSON.stringify({ dropProbability: 1.5 }))],
    "missing fault file": ["run", "delivery", "--seed", "1", "--faults", join(folder, "absent-faults.json")],
    "unknown fault profile name": ["sweep", "delivery", "--faults", "stormy"],
    "missing scenario file": ["run", "./no/such/scenario.ts", "--seed", "1"],
    "scenario file without a scenario": ["run", write("empty.ts", "export const nothing = 1;\n"), "--seed", "1"],
    "unknown option": ["sweep", "delivery", "--sedes", "3"],
    "no command": [],
    "zero seeds": ["sweep", "delivery", "--seeds", "0"],
  };
  for (const [name, args] of Object.entries(cases)) {
    test(name, async () => {
      const out = join(folder, `out-${name.replace(/\W+/g, "-")}`);
      const { code, stderr, stdout } = await runCli([...args, "--out", out]);
      expect(code).toBe(2);
      expect(stderr.split("\n")).toHaveLength(1);
      expect(stderr).toMatch(/^dsim: /);
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(stdout).toBe("");
      expect(filesUnder(out)).toEqual([]);
    });
  }

  test("as a real process: exit 2, one stderr line, no stack trace", () => {
    const { code, stderr } = spawnCli(["run", "delivery", "--seed", "-3"]);
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toEqual(["dsim: --seed must be a non-negative integer, got '-3'"]);
  });
});
