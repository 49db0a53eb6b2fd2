// How processes end, as real processes: the test suite's closing line counts every way a run can
// fail (vitest run on fixture folders, with our reporter), and the dsim binary ends quietly, with
// its own exit code, when the reader of its output goes away (`dsim list | head -1`: EPIPE).

import { spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { temporaryFolder } from "../fixtures/cli.ts";

const REPORTER = resolve("test/reporters/plainSummary.ts");
const VITEST = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");

/** The environment of a child process, without what tells it that it runs inside vitest. */
function childEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { NO_COLOR: "1" };
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("VITEST") && name !== "NODE_ENV" && name !== "FORCE_COLOR") environment[name] = value;
  }
  return environment;
}

interface SuiteRun {
  readonly code: number;
  readonly closingLine: string;
}

/** Runs vitest, as a process, on a folder holding these test files (globals on: no imports). */
function runSuite(files: Readonly<Record<string, string>>): SuiteRun {
  const folder = temporaryFolder();
  writeFileSync(join(folder, "vitest.config.mjs"), `export default { test: { globals: true, include: ["*.test.js"], reporters: [${JSON.stringify(REPORTER)}] } };\n`);
  for (const [name, source] of Object.entries(files)) writeFileSync(join(folder, name), source);
  const child = spawnSync(process.execPath, [VITEST, "run", "--root", folder, "--config", join(folder, "vitest.config.mjs")], { encoding: "utf8", env: childEnvironment() });
  const lines = child.stdout.trim().split("\n");
  return { code: child.status ?? -1, closingLine: lines[lines.length - 1]! };
}

describe("the suite's closing line", () => {
  test("a run that passes says 0 failed, and counts tests skipped on purpose as skipped", () => {
    const run = runSuite({
      "pass.test.js": `it("passes", () => {}); it.skip("skipped", () => {}); it("skips itself", (context) => context.skip());\n`,
    });
    expect(run).toEqual({ code: 0, closingLine: "tests: 1 passed, 0 failed, 2 skipped" });
  });

  // Each beside a file that passes ("passes elsewhere"), counted in every line below.
  const failures: ReadonlyArray<{ readonly name: string; readonly source: string; readonly closingLine: string }> = [
    { name: "a failing test", source: `it("fails", () => { throw new Error("no"); }); it("passes", () => {});`, closingLine: "tests: 2 passed, 1 failed, 0 skipped" },
    { name: "a file that fails to load (a missing import)", source: `import "./missing.js"; it("never runs", () => {});`, closingLine: "tests: 1 passed, 1 failed, 0 skipped" },
    { name: "a file with a syntax error", source: `it("never runs", () => { ;`, closingLine: "tests: 1 passed, 1 failed, 0 skipped" },
    {
      name: "a beforeAll hook that throws: the file, and each test it kept from running (not the one skipped on purpose)",
      source: `beforeAll(() => { throw new Error("no browser"); }); it("one", () => {}); it("two", () => {}); it.skip("skipped", () => {});`,
      closingLine: "tests: 1 passed, 3 failed, 1 skipped",
    },
    {
      name: "a suite's beforeAll hook that throws: the suite and its tests",
      source: `describe("inner", () => { beforeAll(() => { throw new Error("no"); }); it("one", () => {}); }); it("outside", () => {});`,
      closingLine: "tests: 2 passed, 2 failed, 0 skipped",
    },
    { name: "an afterAll hook that throws", source: `afterAll(() => { throw new Error("no"); }); it("passes", () => {});`, closingLine: "tests: 2 passed, 1 failed, 0 skipped" },
    { name: "an error thrown after its test ended", source: `it("passes", () => { setTimeout(() => { throw new Error("late"); }, 0); });`, closingLine: "tests: 2 passed, 1 failed, 0 skipped" },
  ];

  for (const failure of failures) {
    test(`counts ${failure.name}, and vitest exits 1`, () => {
      const run = runSuite({ "fails.test.js": `${failure.source}\n`, "pass.test.js": `it("passes elsewhere", () => {});\n` });
      expect(run).toEqual({ code: 1, closingLine: failure.closingLine });
    });
  }

  test("a run with no test files, which vitest fails, is not 0 failed", () => {
    const run = runSuite({ "not-a-test.js": "export {};\n" });
    expect(run).toEqual({ code: 1, closingLine: "tests: 0 passed, 1 failed, 0 skipped" });
  });
});

interface DsimRun {
  readonly code: number;
  readonly stderr: string;
}

/** Runs the dsim binary with its stdout already closed by the reader: its first write meets EPIPE. */
function runWithClosedStdout(args: readonly string[]): Promise<DsimRun> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ["bin/dsim.js", ...args], { stdio: ["ignore", "pipe", "pipe"], env: childEnvironment() });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolveRun({ code: code ?? -1, stderr }));
  });
}

describe("dsim when the reader of its output goes away", () => {
  test("list ends quietly with exit 0", async () => {
    expect(await runWithClosedStdout(["list"])).toEqual({ code: 0, stderr: "" });
  });

  test("run --trace ends quietly with the run's own exit code: 0 when it holds, 1 when it diverges", async () => {
    expect(await runWithClosedStdout(["run", "delivery", "--seed", "1", "--trace", "--out", temporaryFolder()])).toEqual({ code: 0, stderr: "" });
    expect(await runWithClosedStdout(["run", "delivery", "--variant", "sum", "--seed", "7", "--trace", "--out", temporaryFolder()])).toEqual({ code: 1, stderr: "" });
  });

  test("--help ends quietly (yargs writes to the same closed stdout)", async () => {
    expect(await runWithClosedStdout(["--help"])).toEqual({ code: 0, stderr: "" });
  });

  test("a closed stderr does not change a usage error's exit code", async () => {
    const code = await new Promise<number>((resolveCode, reject) => {
      const child = spawn(process.execPath, ["bin/dsim.js", "run", "delivery", "--seed", "-3"], { stdio: ["ignore", "ignore", "pipe"], env: childEnvironment() });
      child.stderr.destroy();
      child.on("error", reject);
      child.on("close", (exitCode) => resolveCode(exitCode ?? -1));
    });
    expect(code).toBe(2);
  });

  test("an output that cannot be written (a full disk) is one line on stderr and exit 2", () => {
    const full = openSync("/dev/full", "w");
    try {
      const child = spawnSync(process.execPath, ["bin/dsim.js", "list"], { stdio: ["ignore", full, "pipe"], encoding: "utf8", env: childEnvironment() });
      expect(child.status).toBe(2);
      expect(child.stderr).toBe("dsim: cannot write to stdout: ENOSPC: no space left on device, write\n");
    } finally {
      closeSync(full);
    }
  });
});
