// `--shard auto`: the shard's index from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job sets it in
// each pod) and the count from DSIM_SHARD_COUNT. A valid pair runs the shard `--shard i/n` runs; a
// variable missing, not an integer, or an index past the count is bad usage: exit 2, one line on
// stderr, nothing written.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseShard } from "../../src/cli/options.ts";
import { filesUnder, temporaryFolder } from "../fixtures/cli.ts";

function dsim(args: readonly string[], environment: Readonly<Record<string, string>>) {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", ...environment };
  for (const name of ["JOB_COMPLETION_INDEX", "DSIM_SHARD_COUNT"]) if (!(name in environment)) delete env[name];
  const child = spawnSync(process.execPath, ["bin/dsim.js", ...args], { encoding: "utf8", env });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe("--shard auto, parsed", () => {
  test("reads the index and the count from the environment", () => {
    expect(parseShard("auto", { JOB_COMPLETION_INDEX: "2", DSIM_SHARD_COUNT: "4" })).toEqual({ index: 2, count: 4 });
    expect(parseShard("auto", { JOB_COMPLETION_INDEX: "0", DSIM_SHARD_COUNT: "1" })).toEqual({ index: 0, count: 1 });
  });

  test("a missing variable is named", () => {
    expect(() => parseShard("auto", { DSIM_SHARD_COUNT: "4" })).toThrow(/^--shard auto needs JOB_COMPLETION_INDEX /);
    expect(() => parseShard("auto", { JOB_COMPLETION_INDEX: "1" })).toThrow(/^--shard auto needs DSIM_SHARD_COUNT /);
  });

  test("an index out of range or a value that is not an integer is refused", () => {
    expect(() => parseShard("auto", { JOB_COMPLETION_INDEX: "4", DSIM_SHARD_COUNT: "4" })).toThrow("--shard auto: JOB_COMPLETION_INDEX must be an integer in [0, 3] (DSIM_SHARD_COUNT is 4), got '4'");
    expect(() => parseShard("auto", { JOB_COMPLETION_INDEX: "-1", DSIM_SHARD_COUNT: "4" })).toThrow(/JOB_COMPLETION_INDEX must be an integer in \[0, 3\]/);
    expect(() => parseShard("auto", { JOB_COMPLETION_INDEX: "1", DSIM_SHARD_COUNT: "0" })).toThrow(/DSIM_SHARD_COUNT must be an integer in \[1, /);
    expect(() => parseShard("auto", { JOB_COMPLETION_INDEX: "1", DSIM_SHARD_COUNT: "four" })).toThrow(/DSIM_SHARD_COUNT must be an integer .*got 'four'/);
    expect(() => parseShard("auto", { JOB_COMPLETION_INDEX: " 1", DSIM_SHARD_COUNT: "4" })).toThrow(/got ' 1'/);
  });
});

describe("--shard auto, on the command line", () => {
  const sweep = (out: string) => ["sweep", "delivery", "--variant", "sum", "--seeds", "12", "--workers", "1", "--no-shrink", "--json", "--out", out];

  test("runs the shard the environment names, as --shard i/n does", () => {
    const root = temporaryFolder();
    const auto = dsim([...sweep(join(root, "auto")), "--shard", "auto"], { JOB_COMPLETION_INDEX: "1", DSIM_SHARD_COUNT: "3" });
    const explicit = dsim([...sweep(join(root, "explicit")), "--shard", "1/3"], {});
    expect(auto.stderr).toBe("");
    expect(auto.code).toBe(explicit.code);
    const comparable = (text: string, out: string) => JSON.parse(text.replaceAll(join(root, out), "OUT"), (key, value) => (key === "wallSeconds" || key === "eventsPerSecond" ? undefined : value));
    const summary = comparable(auto.stdout, "auto");
    expect(summary.shard).toBe("1/3");
    expect(summary).toEqual(comparable(explicit.stdout, "explicit"));
  });

  for (const [what, environment, message] of [
    ["missing index", { DSIM_SHARD_COUNT: "3" }, /^dsim: --shard auto needs JOB_COMPLETION_INDEX /],
    ["missing count", { JOB_COMPLETION_INDEX: "0" }, /^dsim: --shard auto needs DSIM_SHARD_COUNT /],
    ["index out of range", { JOB_COMPLETION_INDEX: "3", DSIM_SHARD_COUNT: "3" }, /^dsim: --shard auto: JOB_COMPLETION_INDEX must be an integer in \[0, 2\]/],
  ] as const) {
    test(`${what}: exit 2, one line, nothing written`, () => {
      const out = join(temporaryFolder(), "out");
      const run = dsim([...sweep(out), "--shard", "auto"], environment);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(message);
      expect(filesUnder(out)).toEqual([]);
    });
  }
});

describe("the Kubernetes example (docs/examples/kubernetes-sweep.yaml)", () => {
  test("runs --shard auto with DSIM_SHARD_COUNT equal to the Job's completions, into the folders the merge reads", () => {
    const sweep = readFileSync("docs/examples/kubernetes-sweep.yaml", "utf8");
    const merge = readFileSync("docs/examples/kubernetes-merge.yaml", "utf8");
    const completions = /^\s*completions: (\d+)$/m.exec(sweep)?.[1];
    const count = /name: DSIM_SHARD_COUNT\s+value: "(\d+)"/.exec(sweep)?.[1];
    expect(completions).toBeDefined();
    expect(count).toBe(completions);
    expect(sweep).toMatch(/completionMode: Indexed/);
    expect(sweep).toMatch(/dsim sweep .*--shard auto --out \/reports\/shard-\$JOB_COMPLETION_INDEX$/m);
    expect(merge).toMatch(/dsim report merge \/reports\/shard-\* /);
  });
});
