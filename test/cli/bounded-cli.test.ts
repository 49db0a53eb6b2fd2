// End to end: `dsim explore --max-faults K` finds the fewest faults that break a variant (its exit
// codes: 1 found, 0 none up to K with every schedule searched, 5 cut short first), writes a replay
// file that replays and shrinks, and rejects mixed modes; `dsim shrink --invariant` keeps the named
// invariant broken and refuses one the execution does not break, writing nothing.

import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { filesUnder, runCli, temporaryFolder } from "../fixtures/cli.ts";

describe("dsim explore --max-faults", () => {
  it("finds a shortest counterexample, whose replay file reproduces it and cannot shrink further", async () => {
    const out = temporaryFolder();
    // Without crash points: one crash point inside the handler (after the fsync, before the reply) breaks it alone.
    const faults = join(out, "heavy-without-crash-points.json");
    writeFileSync(faults, JSON.stringify({ base: "heavy", crashPointProbability: 0 }));
    const run = await runCli(["explore", "idempotency", "--variant", "dedup-in-memory", "--max-faults", "3", "--invariant", "exactly-once", "--faults", faults, "--json", "--out", out]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ mode: "bounded", verdict: "diverges", minimumFaults: 2, faultsLowerBound: 2, complete: true, faults, seed: 0, invariant: "exactly-once" });
    expect(report.levels.slice(0, 2)).toEqual([{ faults: 0, schedules: 1, complete: true }, expect.objectContaining({ faults: 1, complete: true })]);
    expect(report.counterexample.faults).toHaveLength(2);
    expect(report.counterexample.violations.map((violation: { invariant: string }) => violation.invariant)).toContain("exactly-once");
    const replay = await runCli(["replay", report.counterexample.replayFile, "--json"]);
    expect(JSON.parse(replay.stdout)).toMatchObject({ matches: true, verdict: "diverges" });
    const shrunk = JSON.parse((await runCli(["shrink", report.counterexample.replayFile, "--json", "--invariant", "exactly-once"])).stdout);
    expect(shrunk).toMatchObject({ faultsBefore: 2, faultsAfter: 2, faultsLowerBound: 2, invariant: "exactly-once" });
  });

  it("says holds (exit 0) when every schedule up to K faults was searched, and unknown (exit 5) when a bound cut it short", async () => {
    const out = temporaryFolder();
    const holds = await runCli(["explore", "delivery", "--variant", "retry-set", "--size", "messages=2", "--max-faults", "1", "--json", "--out", out]);
    expect(holds.code).toBe(0);
    expect(JSON.parse(holds.stdout)).toMatchObject({ verdict: "holds", complete: true, counterexample: null, faultsLowerBound: 2 });
    const unknown = await runCli(["explore", "delivery", "--variant", "retry-set", "--size", "messages=2", "--max-faults", "2", "--max-executions", "50", "--json", "--out", out]);
    expect(unknown.code).toBe(5);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ verdict: "unknown", complete: false, budgetReached: true, faultsLowerBound: 1 });
    expect(filesUnder(out)).toEqual([]);
  });

  it("prints the fewest faults as a numbered list", async () => {
    const run = await runCli(["explore", "delivery", "--variant", "sum", "--size", "messages=2", "--max-faults", "2", "--out", temporaryFolder()]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/delivery\/sum bounded \(faults ≤ 2, profile heavy, seed 0\): DIVERGES with 1 fault, the fewest/);
    expect(run.stdout).toMatch(/faults:\n {4}1\. 0 ms {2}crash point sender just before its send to receiver \(effect 1\.1\), down 20 ms/);
  });

  it.each([
    [["explore", "delivery", "--exhaustive", "--max-faults", "1"], /needs one of --exhaustive .* or --max-faults K/],
    [["explore", "delivery", "--max-faults", "-1"], /--max-faults must be a non-negative integer/],
    [["explore", "delivery", "--max-faults", "1", "--drops-max", "1"], /--drops-max is for --exhaustive/],
    [["explore", "delivery", "--exhaustive", "--seed", "3"], /--seed is for --max-faults/],
    [["explore", "delivery", "--max-faults", "1", "--faults", "stormy"], /unknown fault profile 'stormy'/],
    [["explore", "delivery", "--max-faults", "1", "--max-executions", "0"], /--max-executions must be at least 1/],
  ])("rejects %j with exit 2", async (argv, message) => {
    const run = await runCli(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

describe("dsim shrink --invariant", () => {
  it("refuses an invariant the execution does not break, naming those it does, and writes nothing", async () => {
    const out = temporaryFolder();
    const run = JSON.parse((await runCli(["run", "idempotency", "--variant", "naive", "--seed", "0", "--json", "--out", out])).stdout);
    const refused = await runCli(["shrink", run.replayFile, "--invariant", "no-such-invariant"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/does not break 'no-such-invariant' \(it breaks: .*exactly-once/);
    expect(existsSync(run.replayFile.replace(/\.replay\.json$/, ".shrunk.replay.json"))).toBe(false);
    const kept = JSON.parse((await runCli(["shrink", run.replayFile, "--invariant", "logical-trace", "--json"])).stdout);
    expect(kept.invariant).toBe("logical-trace");
    expect(kept.violated).toContain("logical-trace");
    expect(kept.faults).toHaveLength(kept.faultsAfter);
  });
});
