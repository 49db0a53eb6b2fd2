// Issue 12's reproductions, each as a real process bounded in time (startDsim kills what outlives
// its limit and says so): endless loops and runaway memory become `hung` and `out-of-memory`
// results, budgets hold whatever the fault profile, resources are bounded, report folders never
// lie, and every bad input is one line on stderr with exit 2, before any work.

import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { temporaryFolder } from "../fixtures/cli.ts";
import { eventually, filesUnder, linesOf, reportProblems, runDsim, startDsim, type ProcessRun } from "./process.ts";

const HOSTILE = "test/fixtures/hostile.ts";
/** Short enough for a test, long enough that a loaded CI machine does not call a healthy seed hung. */
const TIMEOUT = ["--execution-timeout-ms", "1500"];
/** Every process here ends well within this; one still running then would have hung. */
const LIMIT_MS = 60_000;

/** A usage error: exit 2, one line on stderr that says `expected`, nothing on stdout. */
function expectUsageError(run: ProcessRun, expected: RegExp): void {
  expect(run.killedAtLimit).toBe(false);
  expect(run.code).toBe(2);
  expect(linesOf(run.stderr)).toHaveLength(1);
  expect(run.stderr).toMatch(expected);
  expect(run.stdout).toBe("");
}

function replayFileOf(folder: string, patch: (replay: Record<string, unknown>) => Record<string, unknown>): string {
  const path = join(folder, "patched.replay.json");
  const original = JSON.parse(readFileSync(join(folder, "delivery", "sum", "seed-7.replay.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(path, JSON.stringify(patch(original)));
  return path;
}

describe.concurrent("hangs become results: the watchdog", () => {
  test("an endless loop in a handler: `run` reports the seed hung (exit 1) and its replay file hangs again, and says so", async () => {
    const out = temporaryFolder();
    const run = await runDsim(["run", HOSTILE, "--variant", "loop-in-handler", "--seed", "4", "--faults", "none", ...TIMEOUT, "--out", out], LIMIT_MS);
    expect(run.killedAtLimit).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/seed 4 faults none: HUNG/);
    const replayFile = join(out, "hostile", "loop-in-handler", "seed-4.replay.json");
    const recorded = JSON.parse(readFileSync(replayFile, "utf8"));
    expect(recorded.expected).toMatchObject({ physicalHash: null, verdict: "hung" });
    expect(recorded.watchdog.executionTimeoutMs).toBe(1500);
    const replay = await runDsim(["replay", replayFile, "--json"], LIMIT_MS);
    expect(replay.code).toBe(1);
    expect(JSON.parse(replay.stdout)).toMatchObject({ verdict: "hung", matches: true, changes: [] });
  });

  test("an endless loop in π: a serial sweep (--workers 1) reports the seed hung, stops the variant there, exits 1", async () => {
    const out = temporaryFolder();
    const run = await runDsim(["sweep", HOSTILE, "--variant", "loop-in-projection", "--seeds", "5", "--faults", "none", "--workers", "1", ...TIMEOUT, "--out", out, "--json"], LIMIT_MS);
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ verdict: "hung", expectationMet: false, seeds: { count: 4 }, lost: { seed: 4, verdict: "hung" }, complete: true });
    expect(reportProblems(out)).toEqual([]);
  });

  test("a handler that allocates without end: the seed is out-of-memory, the machine is untouched (--heap-max-mb)", async () => {
    const out = temporaryFolder();
    const run = await runDsim(["sweep", HOSTILE, "--variant", "allocate", "--seeds", "6", "--faults", "none", "--workers", "1", "--heap-max-mb", "128", "--out", out, "--json"], LIMIT_MS);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ verdict: "out-of-memory", lost: { seed: 4, verdict: "out-of-memory" } });
    expect(reportProblems(out)).toEqual([]);
  });

  test("a fault profile with a tiny tick is refused, and a tick the profile allows cannot outrun --events-max", async () => {
    const folder = temporaryFolder();
    const tiny = join(folder, "tiny.json");
    writeFileSync(tiny, JSON.stringify({ tickMs: 0.000001, crashProbability: 0.001 }));
    expectUsageError(await runDsim(["run", "delivery", "--seed", "1", "--faults", tiny, "--out", folder], LIMIT_MS), /'tickMs' is 0\.000001, must be ≥ 1 \(ms\)/);
    const long = join(folder, "long.json");
    writeFileSync(long, JSON.stringify({ tickMs: 1, crashProbability: 0.001, faultEndMs: 1e9, healAtMs: 1e9 }));
    const run = await runDsim(["run", "delivery", "--seed", "1", "--faults", long, "--events-max", "500", "--time-max-ms", "1000000000", "--out", folder, "--json"], LIMIT_MS);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ endReason: "events-budget", violations: [{ invariant: "budget", message: expect.stringContaining("within 500 events") }] });
  });
});

describe.concurrent("bounded resources", () => {
  test("--workers above the cores, a seed count no process can hold, a range past 2^53: exit 2 before any work", async () => {
    const out = temporaryFolder();
    expectUsageError(await runDsim(["sweep", "delivery", "--workers", "1000", "--out", out]), /--workers 1000 is more than this machine's \d+ cores?/);
    expectUsageError(await runDsim(["sweep", "delivery", "--seeds", "1000000000000", "--out", out]), /--seeds 1000000000000 is more than one process sweeps .* --shard/);
    expectUsageError(await runDsim(["sweep", "delivery", "--from", "9007199254740990", "--out", out]), /--from 9007199254740990 with --seeds 1000 runs past the largest seed/);
    expect(filesUnder(out)).toEqual([]);
  });

  test("replay files: positional decisions, unknown keys, bad limits, a file past its size bound: exit 2", async () => {
    const folder = temporaryFolder();
    const written = await runDsim(["run", "delivery", "--variant", "sum", "--seed", "7", "--out", folder]);
    expect(written.code).toBe(1);
    const v1 = replayFileOf(folder, (replay) => ({ ...replay, formatVersion: 1, decisions: "drop?1*999999999" }));
    expectUsageError(await runDsim(["replay", v1]), /format 1 recorded its schedule by position/);
    const v2 = replayFileOf(folder, (replay) => ({ ...replay, decisions: "drop?1*999999999" }));
    expectUsageError(await runDsim(["replay", v2]), /unknown key 'decisions'/);
    const negative = replayFileOf(folder, (replay) => ({ ...replay, limits: { eventsMax: -1, virtualTimeMaxMs: 1000 } }));
    expectUsageError(await runDsim(["replay", negative]), /'limits\.eventsMax' must be an integer ≥ 1/);
    const half = replayFileOf(folder, (replay) => ({ ...replay, limits: { eventsMax: 0.5, virtualTimeMaxMs: 1000 } }));
    expectUsageError(await runDsim(["replay", half]), /'limits\.eventsMax' must be an integer ≥ 1/);
    const huge = join(folder, "huge.replay.json");
    closeSync(openSync(huge, "w"));
    truncateSync(huge, 200 * 2 ** 20);
    expectUsageError(await runDsim(["replay", huge]), /holds 200 MB, more than the 128 MB it may hold/);
  });
});

describe("reports that never lie", () => {
  test("a second sweep into a folder being written is refused; SIGINT leaves a partial summary that says so and no temporary file", async () => {
    const out = temporaryFolder();
    const earlier = await runDsim(["sweep", "delivery", "--variant", "sum", "--seeds", "30", "--out", out]);
    expect(earlier.code).toBe(1);
    expect(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).complete).toBe(true);
    // This sweep hangs at seed 4 for a minute: it holds the folder meanwhile.
    const first = startDsim(["sweep", HOSTILE, "--seeds", "8", "--faults", "none", "--workers", "1", "--execution-timeout-ms", "60000", "--out", out], LIMIT_MS);
    const partial = () => {
      try {
        return JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).complete === false;
      } catch {
        return false;
      }
    };
    expect(await eventually(partial, 30_000)).toBe(true);
    const second = await runDsim(["sweep", "delivery", "--variant", "sum", "--seeds", "5", "--out", out]);
    expectUsageError(second, /--out '.*' is being written by another dsim \(process \d+: dsim sweep test\/fixtures\/hostile\.ts\)/);
    first.child.kill("SIGINT");
    const interrupted = await first.done;
    expect(interrupted.killedAtLimit).toBe(false);
    expect(interrupted.code).toBe(130);
    expect(linesOf(interrupted.stderr)).toEqual(["dsim: interrupted by SIGINT"]);
    expect(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).complete).toBe(false);
    expect(reportProblems(out)).toEqual([]);
    expect(filesUnder(out)).not.toContain(".dsim-lock");
    const after = await runDsim(["sweep", "delivery", "--variant", "sum", "--seeds", "5", "--out", out, "--json"]);
    expect(after.code).toBe(1);
    expect(reportProblems(out)).toEqual([]);
  });
});

describe.concurrent("environment errors, found before any work", () => {
  test("an --out that is a file, cannot be written, or is given twice; --junit . : one line, exit 2, nothing written", async () => {
    const folder = temporaryFolder();
    const file = join(folder, "a-file");
    writeFileSync(file, "");
    expectUsageError(await runDsim(["sweep", "delivery", "--seeds", "3", "--out", file]), /--out '.*a-file' is a file, not a folder/);
    expectUsageError(await runDsim(["sweep", "delivery", "--seeds", "3", "--out", join(folder, "a"), "--out", join(folder, "b")]), /--out is given more than once/);
    expectUsageError(await runDsim(["sweep", "delivery", "--seeds", "3", "--out", join(folder, "junit-out"), "--junit", "."]), /--junit '\.' is a folder: give the path of a file/);
    expect(readdirSync(".").filter((name) => /\.\d+\.tmp$/.test(name))).toEqual([]);
    expectUsageError(await runDsim(["sweep", "delivery", "--seeds", "3", "--out", join(file, "below")]), /--out '.*' cannot be written/);
    expect(filesUnder(folder)).toEqual(["a-file"]);
  });

  test("a read-only --out: exit 2 before any seed runs", async () => {
    const readOnly = process.getuid?.() === 0 ? "/sys/fs/dsim-reports" : (() => {
      const folder = join(temporaryFolder(), "read-only");
      mkdirSync(folder, { mode: 0o555 });
      return folder;
    })();
    expectUsageError(await runDsim(["sweep", "delivery", "--seeds", "3", "--out", readOnly]), /--out '.*' cannot be written: E(ACCES|PERM|ROFS)/);
  });

  test("report merge of a summary that is not a shard's ({\"shard\":\"0/1\"}): exit 2, not a TypeError", async () => {
    const shard = temporaryFolder();
    writeFileSync(join(shard, "summary.json"), JSON.stringify({ shard: "0/1" }));
    writeFileSync(join(shard, "seeds.jsonl"), "");
    expectUsageError(await runDsim(["report", "merge", shard, "--out", join(shard, "merged")]), /summary\.json is not the summary of a sweep: 'scenario' must be a string/);
  });
});

describe.concurrent("validation gaps", () => {
  test("profile keys inherited from Object.prototype are unknown keys", async () => {
    const folder = temporaryFolder();
    for (const key of ["constructor", "toString"]) {
      const profile = join(folder, `${key}.json`);
      writeFileSync(profile, `{"${key}": 1}`);
      expectUsageError(await runDsim(["run", "delivery", "--seed", "1", "--faults", profile, "--out", folder]), new RegExp(`has unknown key '${key}'`));
    }
  });

  test("--shard -1/2 says what is wrong with --shard; a folder as a fault profile says so; check: one line naming the problem", async () => {
    const folder = temporaryFolder();
    expectUsageError(await runDsim(["sweep", "delivery", "--shard", "-1/2", "--out", folder]), /--shard must be i\/n with 0 ≤ i < n .*got '-1\/2'/);
    expectUsageError(await runDsim(["run", "delivery", "--seed", "1", "--faults", folder, "--out", folder]), /--faults '.*' is a folder/);
    writeFileSync(join(folder, "history.json"), JSON.stringify({ operations: [{ call: "soon", key: "x", op: "get" }] }));
    expectUsageError(await runDsim(["check", "nope", join(folder, "history.json")]), /^dsim: Invalid values: Argument: property, Given: "nope", Choices: "linearizable", "serializable"\n$/);
    expectUsageError(await runDsim(["check", "serializable", join(folder, "history.json")]), /history\.json/);
    expectUsageError(await runDsim(["check", "linearizable", join(folder, "history.json")]), /operation 0: 'call' must be a finite number/);
    expectUsageError(await runDsim(["check", "linearizable", folder]), /history file '.*' is a folder, not a file/);
  });
});
