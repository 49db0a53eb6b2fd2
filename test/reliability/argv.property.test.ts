// Fuzzing the command line (fast-check): argument vectors built from the CLI's grammar (commands,
// scenarios, options with good and bad values, flags, unknown options), run through main(). Every
// ending is one of the documented exit codes (0–5), and a failure is at most one line on stderr.
// Values are drawn so that a valid command stays small (two seeds at most): the fuzz explores the
// ways in, not long sweeps.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { main } from "../../src/cli/main.ts";
import { captureIo } from "../captureIo.ts";
import { temporaryFolder } from "../fixtures/cli.ts";

const DOCUMENTED_EXIT_CODES = [0, 1, 2, 3, 4, 5];

const folder = temporaryFolder();
const files = {
  replay: join(folder, "runs", "delivery", "sum", "seed-7.replay.json"),
  history: join(folder, "history.json"),
  profile: join(folder, "profile.json"),
  notJson: join(folder, "not.json"),
  missing: join(folder, "missing.json"),
  shard: join(folder, "empty-shard"),
};

beforeAll(async () => {
  writeFileSync(files.history, JSON.stringify([{ call: 0, return: 1, op: "put", key: "x", value: "1" }, { call: 2, return: 3, op: "get", key: "x", output: "1" }]));
  writeFileSync(files.profile, JSON.stringify({ base: "light", dropProbability: 0.3 }));
  writeFileSync(files.notJson, "{ not json");
  mkdirSync(files.shard);
  expect(await main(["run", "delivery", "--variant", "sum", "--seed", "7", "--out", join(folder, "runs")], captureIo())).toBe(1);
});

const SCENARIO = fc.oneof(
  { weight: 6, arbitrary: fc.constant("delivery") },
  { weight: 2, arbitrary: fc.constant("test/fixtures/hostile.ts") },
  { weight: 1, arbitrary: fc.constantFrom("nope", "./missing.ts", "", files.notJson) },
);
const FILE = fc.oneof({ weight: 4, arbitrary: fc.constant(files.replay) }, { weight: 1, arbitrary: fc.constantFrom(files.history, files.notJson, files.missing, folder, files.profile) });

/** Values that are wrong for most options: the ways in that must end in one line and exit 2. */
const WRONG = fc.constantFrom("-1", "-1/2", "0/0", "abc", "1e3", "0x10", "9007199254740993", "", " ", files.notJson, folder, "nope.json", "nope", "messages=x", "=");

/** Each option with values it can use (small: a valid command stays quick). */
const OPTIONS: Readonly<Record<string, fc.Arbitrary<string>>> = {
  "--seed": fc.constantFrom("0", "4", "7"),
  "--seeds": fc.constantFrom("1", "2"),
  "--from": fc.constantFrom("0", "3", "9007199254740990"),
  "--workers": fc.constantFrom("1", "2", "1000"),
  "--shard": fc.constantFrom("0/2", "1/2", "0/1"),
  "--faults": fc.constantFrom("none", "light", "heavy", "swarm", files.profile),
  "--variant": fc.constantFrom("sum", "retry-set", "calm", "loop-in-handler"),
  "--events-max": fc.constantFrom("5", "1000"),
  "--time-max-ms": fc.constantFrom("10", "120000"),
  "--workload-seed": fc.constantFrom("0", "1"),
  "--size": fc.constantFrom("messages=2", "messages=3"),
  "--execution-timeout-ms": fc.constantFrom("1", "60000"),
  "--heap-max-mb": fc.constantFrom("64", "512"),
  "--junit": fc.constant(join(folder, "junit.xml")),
  "--executions-max": fc.constantFrom("1", "20"),
  "--max-depth": fc.constantFrom("3", "50"),
  "--max-states": fc.constantFrom("10", "1000"),
  "--max-executions": fc.constantFrom("1", "100"),
  "--drops-max": fc.constantFrom("0", "1"),
  "--steps-max": fc.constantFrom("1", "1000"),
  "--model": fc.constantFrom("kv", "nope"),
  "--bogus": fc.constant("1"),
};
const FLAG = fc.constantFrom("--json", "--trace", "--no-shrink", "--expect", "--exhaustive", "--vary-workload", "--check-determinism", "--html", "--all", "--duplicates");


/** Wrong values of options that name a file to write: never a path in the repository. */
const WRONG_FOR: Readonly<Record<string, fc.Arbitrary<string>>> = {
  "--junit": fc.constantFrom(folder, ".", join(files.notJson, "junit.xml"), "/sys/fs/junit.xml"),
};

/** An option with a value it can use, mostly; sometimes a wrong one. */
function option(names: readonly string[]): fc.Arbitrary<readonly [string, string]> {
  return fc.constantFrom(...names).chain((name) => fc.oneof({ weight: 3, arbitrary: OPTIONS[name]! }, { weight: 1, arbitrary: WRONG_FOR[name] ?? WRONG }).map((value) => [name, value] as const));
}

const EXECUTION = ["--variant", "--faults", "--events-max", "--time-max-ms", "--workload-seed", "--size", "--execution-timeout-ms", "--heap-max-mb"];

/** A command: its words, the options and flags it takes, and whether it writes under --out. */
interface Command {
  readonly words: readonly string[];
  readonly options: readonly string[];
  readonly flags: readonly string[];
  readonly out: boolean;
}

const COMMAND: fc.Arbitrary<Command> = fc.oneof(
  fc.constant({ words: ["list"], options: [], flags: ["--json"], out: false }),
  SCENARIO.map((scenario) => ({ words: ["run", scenario], options: ["--seed", ...EXECUTION], flags: ["--json", "--trace"], out: true })),
  SCENARIO.map((scenario) => ({
    words: ["sweep", scenario], options: ["--seeds", "--from", "--workers", "--shard", "--junit", ...EXECUTION],
    flags: ["--json", "--no-shrink", "--expect", "--vary-workload", "--check-determinism", "--all"], out: true,
  })),
  SCENARIO.map((scenario) => ({
    words: ["explore", scenario], options: ["--variant", "--size", "--max-depth", "--max-states", "--max-executions", "--drops-max", "--execution-timeout-ms"],
    flags: ["--exhaustive", "--exhaustive", "--json", "--duplicates"], out: true,
  })),
  FILE.map((file) => ({ words: ["replay", file], options: ["--size", "--execution-timeout-ms", "--heap-max-mb"], flags: ["--json", "--trace", "--html"], out: false })),
  FILE.map((file) => ({ words: ["shrink", file], options: ["--executions-max", "--execution-timeout-ms"], flags: ["--json", "--trace"], out: false })),
  fc.tuple(fc.constantFrom("linearizable", "serializable", "nope"), FILE).map(([property, file]) => ({ words: ["check", property, file], options: ["--model", "--steps-max"], flags: ["--json"], out: false })),
  fc.constantFrom(files.shard, folder, files.missing).map((shard) => ({ words: ["report", "merge", shard], options: ["--junit", "--execution-timeout-ms"], flags: ["--json"], out: true })),
  fc.constantFrom({ words: [], options: [], flags: [], out: false }, { words: ["bogus"], options: [], flags: [], out: false }),
);

const ALL_OPTIONS = Object.keys(OPTIONS);

const ARGV = COMMAND.chain((command) =>
  fc
    .tuple(
      fc.uniqueArray(command.options.length === 0 ? option(ALL_OPTIONS) : fc.oneof({ weight: 20, arbitrary: option(command.options) }, { weight: 1, arbitrary: option(ALL_OPTIONS) }), { maxLength: 4, selector: ([name]) => name }),
      fc.uniqueArray(fc.oneof({ weight: 20, arbitrary: command.flags.length === 0 ? FLAG : fc.constantFrom(...command.flags) }, { weight: 1, arbitrary: FLAG }), { maxLength: 2 }),
      fc.integer({ min: 0, max: 7 }),
    )
    .map(([options, flags, repeat]) => {
      const argv = [...command.words, ...options.flatMap(([name, value]) => [name, value]), ...flags];
      // Now and then an option given twice.
      if (repeat === 0 && options.length > 0) argv.push(...options[0]!);
      // Keep a valid sweep small: two seeds unless the vector says how many.
      if (command.words[0] === "sweep" && !argv.includes("--seeds")) argv.push("--seeds", "2");
      if (command.words[0] === "run" && !argv.includes("--seed")) argv.push("--seed", "7");
      // And a valid exploration: a few hundred executions at most.
      if (command.words[0] === "explore" && !argv.includes("--max-executions")) argv.push("--max-executions", "200");
      if (command.out) argv.push("--out", join(temporaryFolder(), "out"));
      return argv;
    }),
);

describe("the command line, fuzzed", () => {
  test("every argument vector ends with a documented exit code and at most one line on stderr", async () => {
    await fc.assert(
      fc.asyncProperty(ARGV, async (argv) => {
        const io = captureIo();
        const code = await main(argv, io);
        expect(DOCUMENTED_EXIT_CODES, `dsim ${argv.join(" ")} → ${code}: ${io.stderr.join(" | ")}`).toContain(code);
        expect(io.stderr.length, `dsim ${argv.join(" ")}: ${io.stderr.join(" | ")}`).toBeLessThanOrEqual(1);
        if (code === 2) expect(io.stderr).toHaveLength(1);
      }),
      { numRuns: 50 },
    );
  });
});
