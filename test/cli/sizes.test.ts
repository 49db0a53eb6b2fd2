// `--size name=value` is one option of the execution spec: `run`, `sweep`, `replay` and `explore`
// take it, and a replay file (and so `shrink` and the merge) carries the sizes it ran at.

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { runCli, temporaryFolder } from "../fixtures/cli.ts";

const sendsOf = (trace: readonly { kind: string; node: string }[]) => trace.filter((event) => event.kind === "send" && event.node === "sender").length;

describe("--size through every command", () => {
  test("run: delivery sends 3 messages at --size messages=3, and its replay command says so", async () => {
    const run = await runCli(["run", "delivery", "--variant", "sum", "--size", "messages=3", "--seed", "4", "--faults", "none", "--trace", "--json", "--out", temporaryFolder()]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.sizes).toEqual({ messages: 3 });
    expect(result.logical).toEqual({ value: 6 });
    expect(sendsOf(result.trace)).toBe(3);
    expect(result.replay).toMatch(/--size messages=3/);
  });

  test("sweep, replay and shrink: the replay files carry the sizes, replay runs at them, shrink starts from them", async () => {
    const out = temporaryFolder();
    const sweep = await runCli(["sweep", "delivery", "--variant", "sum", "--size", "messages=3", "--seeds", "50", "--expect", "--workers", "2", "--json", "--out", out]);
    expect(sweep.code).toBe(0);
    const first = JSON.parse(sweep.stdout).firstDivergence;
    expect(JSON.parse(readFileSync(first.replayFile, "utf8")).sizes).toEqual({ messages: 3 });
    // The shrunk file records the sizes it shrank to: one lost message of one.
    expect(first.shrunk.sizesBefore).toEqual({ messages: 3 });
    expect(first.shrunk.sizesAfter).toEqual({ messages: 1 });
    expect(JSON.parse(readFileSync(first.shrunk.shrunkFile, "utf8")).sizes).toEqual({ messages: 1 });
    for (const [file, messages] of [[first.replayFile, 3], [first.shrunk.shrunkFile, 1]] as const) {
      const replay = JSON.parse((await runCli(["replay", file, "--json", "--trace"])).stdout);
      expect(replay.matches).toBe(true);
      expect(sendsOf(replay.trace)).toBe(messages);
    }
    const shrink = JSON.parse((await runCli(["shrink", first.replayFile, "--json", "--trace"])).stdout);
    expect(shrink.sizesBefore).toEqual({ messages: 3 });
    expect(sendsOf(shrink.trace)).toBe(shrink.sizesAfter.messages);
  });

  test("replay --size runs a recorded seed at another size, and says the hashes changed", async () => {
    const out = temporaryFolder();
    const run = await runCli(["run", "delivery", "--variant", "sum", "--seed", "0", "--json", "--out", out]);
    const file = JSON.parse(run.stdout).replayFile;
    const replay = JSON.parse((await runCli(["replay", file, "--size", "messages=2", "--json", "--trace"])).stdout);
    expect(sendsOf(replay.trace)).toBe(2);
    expect(replay.sizes).toEqual({ messages: 2 });
    expect(replay.matches).toBe(false);
  });

  test("explore: the exhaustive search of 3 messages counts Σₖ C(3,k)·k! = 16 schedules", async () => {
    const explore = JSON.parse((await runCli(["explore", "delivery", "--exhaustive", "--variant", "append", "--size", "messages=3", "--json", "--out", temporaryFolder()])).stdout);
    expect(explore.sizes).toEqual({ messages: 3 });
    expect(explore.schedules).toBe(1 + 3 + 6 + 6);
  });

  test.each([
    [["run", "delivery", "--seed", "1", "--size", "messages=21"], /size 'messages' of scenario 'delivery' must be an integer in \[1, 20\], got 21/],
    [["run", "delivery", "--seed", "1", "--size", "nodes=3"], /scenario 'delivery' has no size 'nodes' \(its sizes: messages\)/],
    [["sweep", "delivery", "--size", "messages=x"], /--size must be name=value/],
    [["run", "delivery", "--seed", "1", "--size", "messages=2", "--size", "messages=3"], /--size messages is given twice/],
  ])("rejects %j with one line and exit 2", async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.split("\n")).toHaveLength(1);
  });
});
