// Paths that survive being moved (issue 15): a replay file stores its scenario file relative to
// itself, and summary.json its replay files relative to its folder, so a replay runs from any
// folder, `report merge` takes shards named by absolute paths from elsewhere, and a reports folder
// moved as a CI artifact (with the scenario beside it) still replays and merges. Real processes,
// each in the working folder the case needs.

import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { temporaryFolder } from "../fixtures/cli.ts";
import { writeUserScenario } from "../fixtures/userProject.ts";
import { reportProblems, runDsim } from "../reliability/process.ts";

const LIMIT_MS = 90_000;

describe("a replay file written by dsim run ./scenario.ts", () => {
  it("stores the scenario relative to itself and replays from another folder, and after the project is moved", async () => {
    const project = temporaryFolder();
    writeUserScenario(project);
    const run = await runDsim(["run", "./ping.ts", "--variant", "once", "--seed", "0", "--out", "r"], LIMIT_MS, project);
    expect(run.code, run.stderr).toBe(1);
    const replayFile = join(project, "r", "ping", "once", "seed-0.replay.json");
    expect(JSON.parse(readFileSync(replayFile, "utf8")).scenario).toBe("../../../ping.ts");

    const elsewhere = temporaryFolder();
    const replay = await runDsim(["replay", replayFile, "--json"], LIMIT_MS, elsewhere);
    expect(replay.code, replay.stderr).toBe(1);
    expect(JSON.parse(replay.stdout)).toMatchObject({ scenario: "ping", variant: "once", seed: 0, matches: true });

    // The project moved as a whole (a CI artifact): the replay file still finds its scenario.
    const moved = join(temporaryFolder(), "moved");
    cpSync(project, moved, { recursive: true });
    const again = await runDsim(["replay", join("moved", "r", "ping", "once", "seed-0.replay.json"), "--json"], LIMIT_MS, join(moved, ".."));
    expect(again.code, again.stderr).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ matches: true });
  });

  it("reads a replay file of dsim 0.2.0, which stored the path as typed, from the folder it was written in", async () => {
    const project = temporaryFolder();
    writeUserScenario(project);
    await runDsim(["run", "./ping.ts", "--variant", "once", "--seed", "0", "--out", "r"], LIMIT_MS, project);
    const replayFile = join(project, "r", "ping", "once", "seed-0.replay.json");
    const old = JSON.parse(readFileSync(replayFile, "utf8"));
    writeFileSync(replayFile, JSON.stringify({ ...old, scenario: "./ping.ts" }));
    const replay = await runDsim(["replay", join("r", "ping", "once", "seed-0.replay.json"), "--json"], LIMIT_MS, project);
    expect(replay.code, replay.stderr).toBe(1);
    expect(JSON.parse(replay.stdout)).toMatchObject({ matches: true });
  });
});

describe("report merge of shards named from another folder", () => {
  it("merges shards given as absolute paths, and shards moved as CI artifacts", async () => {
    const project = temporaryFolder();
    writeUserScenario(project);
    for (const shard of ["0", "1"]) {
      const sweep = await runDsim(["sweep", "./ping.ts", "--expect", "--seeds", "40", "--shard", `${shard}/2`, "--workers", "1", "--out", `r/${shard}`], LIMIT_MS, project);
      expect(sweep.code, sweep.stderr).toBe(0);
    }
    const stored = JSON.parse(readFileSync(join(project, "r", "0", "summary.json"), "utf8"));
    const once = stored.sweeps.find((entry: { variant: string }) => entry.variant === "once");
    expect(once.firstDivergence.replayFile).toBe("ping/once/seed-0.replay.json");
    expect(JSON.parse(readFileSync(join(project, "r", "0", "ping", "once", "seed-0.replay.json"), "utf8")).scenario).toBe("../../../../ping.ts");

    const elsewhere = temporaryFolder();
    const merged = await runDsim(["report", "merge", join(project, "r", "0"), join(project, "r", "1"), "--out", "merged", "--json"], LIMIT_MS, elsewhere);
    expect(merged.code, merged.stderr).toBe(0);
    const first = JSON.parse(merged.stdout).sweeps.find((entry: { variant: string }) => entry.variant === "once").firstDivergence;
    expect(first.seed).toBe(0);
    expect(existsSync(join(elsewhere, first.replayFile))).toBe(true);
    expect(reportProblems(join(elsewhere, "merged"))).toEqual([]);

    // Another checkout with the shards downloaded into it as artifacts, merged from yet another
    // folder (the merge executes the first divergence again for its page: it needs the scenario).
    const checkout = join(temporaryFolder(), "checkout");
    cpSync(project, checkout, { recursive: true });
    const later = await runDsim(["report", "merge", join(checkout, "r", "0"), join(checkout, "r", "1"), "--out", "merged", "--json"], LIMIT_MS, temporaryFolder());
    expect(later.code, later.stderr).toBe(0);
    expect(JSON.parse(later.stdout).sweeps.map((entry: { verdict: string }) => entry.verdict)).toEqual(["holds", "diverges"]);
  });
});
