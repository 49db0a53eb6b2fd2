// Verdicts a scenario author can trust (issue 11's "What was seen"), as real processes: three kinds
// of trouble, three kinds of report. The protocol diverged: exit 1. The scenario is broken (not
// JSON at the boundary, no nodes, a reference that breaks its own invariant): exit 4, or exit 3 when
// it reached for ambient time or randomness; the user's line named, never "a bug in dsim". A bad
// definition: exit 2, one line naming the field. In a sweep a broken scenario stops its variant
// at that seed with the verdict "scenario-error": not a pass, not a divergence, never "caught".

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { filesUnder, spawnCli, temporaryFolder } from "../fixtures/cli.ts";

const FIXTURES = "test/fixtures/trust";

/** A command's one line on stderr, checked to be the only one and to carry no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toContain("a bug in dsim");
  return lines[0]!;
}

interface Entry {
  readonly variant: string;
  readonly verdict: string;
  readonly expectationMet: boolean;
  readonly divergences: number;
  readonly firstDivergence: unknown;
  readonly scenarioError: { readonly seed: number; readonly kind: string; readonly message: string; readonly run: string } | null;
  readonly seeds: { readonly count: number };
}

function entriesOf(stdout: string): Entry[] {
  return (JSON.parse(stdout) as { sweeps: Entry[] }).sweeps;
}

describe("π returned a Set", () => {
  test("is a scenario error (exit 4) in run and sweep, and the double-counting `diverges` variant is not counted as caught", () => {
    const run = spawnCli(["run", `${FIXTURES}/setProjection.ts`, "--variant", "double", "--seed", "1", "--out", temporaryFolder()]);
    expect(run.code).toBe(4);
    expect(oneLine(run.stderr)).toBe("dsim: scenario error: the fault-free reference of set-projection/double (workload seed 0): π (project) returned a logical trace that is not JSON: $ is a Set");
    expect(run.stdout).toBe("");

    const out = temporaryFolder();
    const junit = join(out, "junit.xml");
    const sweep = spawnCli(["sweep", `${FIXTURES}/setProjection.ts`, "--expect", "--seeds", "20", "--json", "--out", out, "--junit", junit]);
    expect(sweep.code).toBe(4);
    const entries = entriesOf(sweep.stdout);
    expect(entries.map((entry) => [entry.variant, entry.verdict, entry.expectationMet, entry.divergences])).toEqual([
      ["once", "scenario-error", false, 0],
      ["double", "scenario-error", false, 0],
    ]);
    expect(entries[1]!.scenarioError).toMatchObject({ seed: 0, kind: "scenario", run: `dsim run ${FIXTURES}/setProjection.ts --variant double --seed 0 --faults swarm` });
    expect(entries[1]!.scenarioError!.message).toContain("$ is a Set");
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { scenarioErrors: number; expectationsUnmet: number };
    expect(summary).toMatchObject({ scenarioErrors: 2, expectationsUnmet: 2 });
    expect(readFileSync(junit, "utf8")).toContain('<error type="scenario-error" message="scenario error at seed 0: the fault-free reference of set-projection/double');
  });
});

describe("a misspelled field", () => {
  test("is bad input: exit 2, one line naming the field with a suggestion, nothing written", () => {
    const out = temporaryFolder();
    const run = spawnCli(["sweep", `${FIXTURES}/misspelled.ts`, "--seeds", "3", "--out", out]);
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toMatch(/^dsim: scenario file '.*misspelled\.ts': the scenario has an unknown field 'invariant' \(did you mean 'invariants'\?\)/);
    expect(filesUnder(out)).toEqual([]);
  });
});

describe("the user's mistakes are never called dsim's bugs", () => {
  test("a module that throws while loading: exit 4 at the user's line", () => {
    const run = spawnCli(["run", `${FIXTURES}/throwsOnLoad.ts`, "--seed", "1"]);
    expect(run.code).toBe(4);
    expect(oneLine(run.stderr)).toMatch(/^dsim: scenario error: scenario file '.*throwsOnLoad\.ts' failed to load: no accounts configured \(at test\/fixtures\/trust\/throwsOnLoad\.ts:6:\d+\)$/);
  });

  test("nodes() returning {}: exit 4 naming the scenario", () => {
    const run = spawnCli(["run", `${FIXTURES}/noNodes.ts`, "--seed", "1"]);
    expect(run.code).toBe(4);
    expect(oneLine(run.stderr)).toBe("dsim: scenario error: the fault-free reference of no-nodes/v (workload seed 0): nodes() returned no nodes: an execution needs at least one");
  });

  test("π returning a cyclic object: exit 4 with the path of the cycle", () => {
    const run = spawnCli(["run", `${FIXTURES}/cyclicProjection.ts`, "--seed", "1"]);
    expect(run.code).toBe(4);
    expect(oneLine(run.stderr)).toContain("π (project) returned a logical trace that is not JSON: $.self is a cycle (back to $)");
  });

  test("Math.random() inside workload(): non-determinism (exit 3) at the user's line", () => {
    const run = spawnCli(["run", `${FIXTURES}/randomWorkload.ts`, "--seed", "1"]);
    expect(run.code).toBe(3);
    expect(oneLine(run.stderr)).toMatch(/^dsim: non-determinism: .*Math\.random\(\) was called while an execution ran \(at test\/fixtures\/trust\/randomWorkload\.ts:9:\d+\)/);
  });

  test("Math.random() at a scenario module's top level: non-determinism (exit 3), found by loading it twice", () => {
    const run = spawnCli(["run", `${FIXTURES}/topLevelRandom.ts`, "--seed", "1", "--json"]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
    const line = oneLine(run.stderr);
    expect(line).toContain("is a different scenario each time it loads: the fault-free execution of variant 'v' differs");
    expect(line).toMatch(/it called Math\.random\(\) when its module loaded \(at test\/fixtures\/trust\/topLevelRandom\.ts:7:\d+\)/);
  });
});

describe("a determinism-guard hit is non-determinism, not a divergence", () => {
  test("Date.now() in a handler: `dsim run` exits 3 with the line, and writes no replay file", () => {
    const out = temporaryFolder();
    const run = spawnCli(["run", `${FIXTURES}/clockInHandler.ts`, "--variant", "always", "--seed", "4", "--out", out]);
    expect(run.code).toBe(3);
    expect(oneLine(run.stderr)).toMatch(/Date\.now\(\) was called while an execution ran \(at test\/fixtures\/trust\/clockInHandler\.ts:\d+:\d+\)/);
    expect(filesUnder(out)).toEqual([]);
  });

  test("in a sweep: each variant stops at the seed that reads the clock, nothing is shrunk, and the `diverges` one is not caught", () => {
    const out = temporaryFolder();
    const sweep = spawnCli(["sweep", `${FIXTURES}/clockInHandler.ts`, "--expect", "--seeds", "40", "--workers", "1", "--json", "--out", out]);
    expect(sweep.code).toBe(3);
    const entries = entriesOf(sweep.stdout);
    for (const entry of entries) {
      expect(entry.verdict).toBe("scenario-error");
      expect(entry.expectationMet).toBe(false);
      expect(entry.firstDivergence).toBeNull();
      expect(entry.scenarioError!.kind).toBe("nondeterminism");
    }
    // `on-recover` reads the clock only after a crash: seeds before that one ran and held.
    const onRecover = entries.find((entry) => entry.variant === "on-recover")!;
    expect(onRecover.scenarioError!.seed).toBeGreaterThan(0);
    expect(onRecover.seeds.count).toBe(onRecover.scenarioError!.seed);
    expect(onRecover.scenarioError!.message).toMatch(/^clock-in-handler\/on-recover seed \d+: Date\.now\(\) was called/);
    expect(filesUnder(out).filter((file) => file.endsWith(".replay.json"))).toEqual([]);

    const parallel = spawnCli(["sweep", `${FIXTURES}/clockInHandler.ts`, "--expect", "--seeds", "40", "--workers", "2", "--json", "--out", temporaryFolder()]);
    expect(parallel.code).toBe(3);
    expect(entriesOf(parallel.stdout).map((entry) => entry.scenarioError)).toEqual(entries.map((entry) => entry.scenarioError));
  });

  test("shards merged give the unsharded sweep's scenario error", () => {
    const unsharded = spawnCli(["sweep", `${FIXTURES}/clockInHandler.ts`, "--variant", "on-recover", "--seeds", "40", "--workers", "1", "--json", "--out", temporaryFolder()]);
    const expected = (JSON.parse(unsharded.stdout) as Entry).scenarioError;
    const shards = [0, 1].map((index) => {
      const out = temporaryFolder();
      spawnCli(["sweep", `${FIXTURES}/clockInHandler.ts`, "--variant", "on-recover", "--seeds", "40", "--workers", "1", "--shard", `${index}/2`, "--out", out]);
      expect(existsSync(join(out, "seeds.jsonl"))).toBe(true);
      return out;
    });
    const merged = spawnCli(["report", "merge", ...shards, "--json", "--out", temporaryFolder()]);
    expect(merged.code).toBe(3);
    const entry = JSON.parse(merged.stdout) as Entry;
    expect(entry.verdict).toBe("scenario-error");
    expect(entry.scenarioError).toEqual(expected);
  });
});

describe("a reference that breaks its own invariant", () => {
  test("is a scenario error for a `holds` variant (exit 4); a `diverges` variant whose bug shows without faults is still caught", () => {
    const run = spawnCli(["run", `${FIXTURES}/brokenReference.ts`, "--variant", "lossy", "--seed", "3"]);
    expect(run.code).toBe(4);
    expect(oneLine(run.stderr)).toContain("the fault-free reference of broken-reference/lossy (workload seed 0) breaks its own invariant 'all-received': received 2 of 4 values");
    const sweep = spawnCli(["sweep", `${FIXTURES}/brokenReference.ts`, "--expect", "--seeds", "10", "--no-shrink", "--json", "--out", temporaryFolder()]);
    expect(sweep.code).toBe(4);
    expect(entriesOf(sweep.stdout).map((entry) => [entry.variant, entry.verdict, entry.expectationMet])).toEqual([
      ["lossy", "scenario-error", false],
      ["lossy-declared-broken", "diverges", true],
    ]);
  });
});
