// End to end: `dsim explore --exhaustive` prints the counts as one JSON document, writes a replay
// file per divergent outcome that `dsim replay` re-executes choice by choice, and rejects bad input.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.ts";
import type { Io } from "../src/cli/io.ts";

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
    // An explored schedule holds choices, not drawn faults: shrinking it is refused, not faked.
    const shrunk = await dsim("shrink", divergent[0].replayFile);
    expect(shrunk.code).toBe(2);
  });

  it("retry-set under duplicates and one drop: one outcome, exit 0", async () => {
    const { code, stdout } = await dsim("explore", "delivery", "--exhaustive", "--variant", "retry-set", "--messages", "2", "--drops-max", "1", "--duplicates-max", "1", "--json", "--out", outDirectory);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ distinctOutcomes: 1, divergentOutcomes: 0, complete: true });
  });

  it("says when a bound cut the search short", async () => {
    const { stdout } = await dsim("explore", "delivery", "--exhaustive", "--variant", "append", "--max-states", "10", "--json", "--out", outDirectory);
    expect(JSON.parse(stdout)).toMatchObject({ complete: false, boundsHit: ["max-states"] });
  });

  it("a replay whose recorded choices no longer fit says so", async () => {
    const { stdout } = await dsim("explore", "delivery", "--exhaustive", "--variant", "set", "--messages", "2", "--json", "--out", outDirectory);
    const file = JSON.parse(stdout).outcomes.find((outcome: { replayFile: string | null }) => outcome.replayFile !== null).replayFile;
    const replay = JSON.parse(readFileSync(file, "utf8"));
    replay.choices = replay.choices.map((choice: { kind: string }) => ({ ...choice, kind: choice.kind === "drop" ? "crash" : choice.kind }));
    const edited = join(outDirectory, "edited.replay.json");
    writeFileSync(edited, JSON.stringify(replay));
    const { code, stdout: replayed } = await dsim("replay", edited, "--json");
    expect(code).toBe(1);
    expect(JSON.parse(replayed).changes.join(" ")).toMatch(/recorded choices no longer fit/);
  });

  it.each([
    [["explore", "delivery"], /needs --exhaustive/],
    [["explore", "delivery", "--exhaustive", "--messages", "0"], /--messages must be at least 1/],
    [["explore", "delivery", "--exhaustive", "--messages", "99"], /size 'messages'.*\[1, 12\]/],
    [["explore", "delivery", "--exhaustive", "--drops-max", "-1"], /--drops-max must be a non-negative integer/],
  ])("rejects %j with exit 2", async (argv, message) => {
    const { code, stderr } = await dsim(...argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it("rejects a replay file whose choices are malformed", async () => {
    const { stdout } = await dsim("explore", "delivery", "--exhaustive", "--variant", "append", "--messages", "2", "--json", "--out", outDirectory);
    const file = JSON.parse(stdout).outcomes.find((outcome: { replayFile: string | null }) => outcome.replayFile !== null).replayFile;
    const replay = JSON.parse(readFileSync(file, "utf8"));
    replay.choices = [{ kind: "teleport", value: 1 }];
    const broken = join(outDirectory, "broken.replay.json");
    writeFileSync(broken, JSON.stringify(replay));
    const { code, stderr } = await dsim("replay", broken);
    expect(code).toBe(2);
    expect(stderr).toMatch(/choice 0 must be/);
  });
});
