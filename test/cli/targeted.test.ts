// The targeted nemeses and fault phases through the CLI: a `--faults` file turns them on, a sweep
// catches a Raft bug with them alone, the shrinker keeps the one targeted fault that matters, and
// the replay files (first and shrunk) replay to the same execution.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli, temporaryFolder } from "../fixtures/cli.ts";

/** Only targeted nemeses, in two phases: no random crash, partition or message fault. */
const ONLY_TARGETED = {
  base: "none", latencyMs: 1, latencyJitterMs: 9,
  leaderCrashProbability: 0.05, leaderIsolateProbability: 0.05, voterIsolateProbability: 0.05, leaderChurnProbability: 0.02,
  faultPhases: 2, quietMs: 200, faultEndMs: 2000, healAtMs: 2000,
};

const TARGETED_TEXT = /arm a crash of the leader|cut the leader off|isolate the node that just voted|churn: depose/;

describe("targeted nemeses through the CLI", () => {
  test("a sweep under them alone catches commit-on-first-ack; shrink keeps a targeted fault; both replay files replay", async () => {
    const folder = temporaryFolder();
    const faults = join(folder, "targeted.json");
    writeFileSync(faults, JSON.stringify(ONLY_TARGETED));
    const sweep = await runCli(["sweep", "consensus", "--variant", "commit-on-first-ack", "--faults", faults, "--seeds", "50", "--expect", "--json", "--out", join(folder, "out")]);
    expect(sweep.code).toBe(0);
    const first = JSON.parse(sweep.stdout).firstDivergence;
    const recorded = JSON.parse(readFileSync(first.replayFile, "utf8"));
    expect(recorded.faults).toMatchObject({ leaderChurnProbability: 0.02, faultPhases: 2, quietMs: 200 });
    expect(recorded.schedule).toBeNull();
    const shrunkFile = JSON.parse(readFileSync(first.shrunk.shrunkFile, "utf8"));
    const kinds = shrunkFile.schedule.decisions ?? shrunkFile.schedule;
    expect(JSON.stringify(kinds)).toMatch(/"leader-(crash|isolate|churn)"|"voter-isolate"/);
    for (const file of [first.replayFile, first.shrunk.shrunkFile]) {
      const replay = JSON.parse((await runCli(["replay", file, "--json"])).stdout);
      expect(replay.matches).toBe(true);
      expect(replay.verdict).toBe("diverges");
    }
    const shrink = await runCli(["shrink", first.replayFile]);
    expect(shrink.stdout).toMatch(TARGETED_TEXT);
  });

  test("the send-churn alone reaches Figure 8: the shrunk schedule is that one fault, and both replay files replay", async () => {
    const folder = temporaryFolder();
    const faults = join(folder, "send-churn.json");
    writeFileSync(faults, JSON.stringify({ base: "none", latencyMs: 1, latencyJitterMs: 9, leaderSendChurnProbability: 0.05, faultEndMs: 2000, healAtMs: 2000 }));
    const sweep = await runCli(["sweep", "consensus", "--variant", "commit-old-term", "--faults", faults, "--seeds", "50", "--expect", "--json", "--out", join(folder, "out")]);
    expect(sweep.code).toBe(0);
    const first = JSON.parse(sweep.stdout).firstDivergence;
    expect(first.violations.map((violation: { invariant: string }) => violation.invariant)).toContain("leader-completeness");
    const shrunkFile = JSON.parse(readFileSync(first.shrunk.shrunkFile, "utf8"));
    const decisions = (shrunkFile.schedule.decisions ?? shrunkFile.schedule) as { kind: string; value: number }[];
    expect(decisions.filter((decision) => decision.kind === "leader-send-churn" && decision.value === 1)).toHaveLength(1);
    for (const file of [first.replayFile, first.shrunk.shrunkFile]) {
      const replay = JSON.parse((await runCli(["replay", file, "--json"])).stdout);
      expect(replay.matches).toBe(true);
      expect(replay.verdict).toBe("diverges");
    }
    expect((await runCli(["shrink", first.replayFile])).stdout).toMatch(/send-churn: depose \d leaders in turn/);
  });

  test("a file over base swarm with the targeted nemeses off is accepted; a bad phase shape is one line of bad input", async () => {
    const folder = temporaryFolder();
    const off = join(folder, "off.json");
    writeFileSync(off, JSON.stringify({ base: "swarm", leaderCrashProbability: 0, leaderIsolateProbability: 0, voterIsolateProbability: 0, leaderChurnProbability: 0 }));
    const run = await runCli(["run", "consensus", "--seed", "4", "--faults", off, "--json", "--out", join(folder, "out")]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).faultProfile).toMatchObject({ leaderCrashProbability: 0, leaderChurnProbability: 0 });
    const bad = join(folder, "bad.json");
    writeFileSync(bad, JSON.stringify({ faultPhases: 5, quietMs: 300 }));
    const refused = await runCli(["run", "consensus", "--seed", "4", "--faults", bad, "--out", join(folder, "out2")]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toMatch(/leave no time for faults/);
  });
});
