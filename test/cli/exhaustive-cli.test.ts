// End to end: `dsim explore --exhaustive` prints the counts as one JSON document, writes a replay
// file per divergent outcome that `dsim replay` re-executes from its schedule (and `dsim shrink`
// shrinks like any other), and rejects bad input.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import type { Io } from "../../src/cli/io.ts";

async function dsim(...argv: string[]) {
  const out: string[] = [];
  const errors: string[] = [];
  const io: Io = { out: (text) => void out.push(text), error: (text) => void errors.push(text), color: new Chalk({ level: 0 }), isTerminal: false };
  const code = await main(argv, io);
  return { code, stdout: out.join("\n"), stderr: errors.join("\n") };
}

describe("dsim explore --exhaustive", () => {
  const outDirectory = mkdtempSync(join(tmpdir(), "dsim-explore-"));

  it("counts the sum receiver's 326 schedules and 16 outcomes, and every replay file reproduces", async () => {
    const { code, stdout } = await dsim("explore", "delivery", "--exhaustive", "--variant", "sum", "--json", "--out", outDirectory);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ scenario: "delivery", variant: "sum", schedules: 326, distinctOutcomes: 16, divergentOutcomes: 15, complete: true });
    const divergent = report.outcomes.filter((outcome: { verdict: string }) => outcome.verdict === "diverges");
    expect(divergent).toHaveLength(15);
    for (const outcome of divergent.slice(0, 5)) {
      const replay = await dsim("replay", outcome.replayFile, "--json");
      expect(replay.code).toBe(1);
      const replayed = JSON.parse(replay.stdout);
      expect(replayed.matches).toBe(true);
      expect(replayed.logical).toEqual(outcome.logical);
    }
    // An explored schedule is a tape like a seed's: it shrinks, and the shrunk file replays.
    const shrunk = await dsim("shrink", divergent[0].replayFile, "--json");
    expect(shrunk.code).toBe(1);
    const shrinkReport = JSON.parse(shrunk.stdout);
    expect(shrinkReport.faultsAfter).toBeGreaterThanOrEqual(1);
    expect(shrinkReport.faultsAfter).toBeLessThanOrEqual(shrinkReport.faultsBefore);
    expect(JSON.parse((await dsim("replay", shrinkReport.shrunkFile, "--json")).stdout).matches).toBe(true);
  });

  it("retry-set under duplicates and one drop: one outcome, exit 0", async () => {
    const { code, stdout } = await dsim("explore", "delivery", "--exhaustive", "--variant", "retry-set", "--size", "messages=2", "--drops-max", "1", "--duplicates-max", "1", "--json", "--out", outDirectory);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ distinctOutcomes: 1, divergentOutcomes: 0, complete: true });
  });

  it("says when a bound cut the search short", async () => {
    const { stdout } = await dsim("explore", "delivery", "--exhaustive", "--variant", "append", "--max-states", "10", "--json", "--out", outDirectory);
    expect(JSON.parse(stdout)).toMatchObject({ complete: false, boundsHit: ["max-states"] });
  });

  it("a replay whose recorded schedule no longer fits says so", async () => {
    const { stdout } = await dsim("explore", "delivery", "--exhaustive", "--variant", "set", "--size", "messages=2", "--json", "--out", outDirectory);
    const file = JSON.parse(stdout).outcomes.find((outcome: { replayFile: string | null }) => outcome.replayFile !== null).replayFile;
    const replay = JSON.parse(readFileSync(file, "utf8"));
    // Every drop now names a message the sender never sends.
    replay.schedule = replay.schedule.map((decision: { kind: string; n?: number }) => (decision.kind === "drop" ? { ...decision, n: 99 } : decision));
    const edited = join(outDirectory, "edited.replay.json");
    writeFileSync(edited, JSON.stringify(replay));
    const { code, stdout: replayed } = await dsim("replay", edited, "--json");
    expect(code).toBe(1);
    expect(JSON.parse(replayed).changes.join(" ")).toMatch(/never asked for \(drop sender→receiver #99\).*the schedule no longer fits/);
  });

  it.each([
    [["explore", "delivery"], /needs one of --exhaustive .* or --max-faults K/],
    [["explore", "delivery", "--exhaustive", "--size", "messages=0"], /size 'messages'.*\[1, 20\], got 0/],
    [["explore", "delivery", "--exhaustive", "--size", "messages=99"], /size 'messages'.*\[1, 20\]/],
    [["explore", "delivery", "--exhaustive", "--size", "messages"], /--size must be name=value/],
    [["explore", "delivery", "--exhaustive", "--size", "replicas=3"], /has no size 'replicas'/],
    [["explore", "delivery", "--exhaustive", "--drops-max", "-1"], /--drops-max must be a non-negative integer/],
  ])("rejects %j with exit 2", async (argv, message) => {
    const { code, stderr } = await dsim(...argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it("rejects a replay file whose schedule is malformed", async () => {
    const { stdout } = await dsim("explore", "delivery", "--exhaustive", "--variant", "append", "--size", "messages=2", "--json", "--out", outDirectory);
    const file = JSON.parse(stdout).outcomes.find((outcome: { replayFile: string | null }) => outcome.replayFile !== null).replayFile;
    const replay = JSON.parse(readFileSync(file, "utf8"));
    replay.schedule = [{ kind: "teleport", value: 1 }];
    const broken = join(outDirectory, "broken.replay.json");
    writeFileSync(broken, JSON.stringify(replay));
    const { code, stderr } = await dsim("replay", broken);
    expect(code).toBe(2);
    expect(stderr).toMatch(/schedule\[0\]: unknown decision kind "teleport"/);
  });
});
