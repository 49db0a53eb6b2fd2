// `dsim typecheck` and `--typecheck` (issue 15): a scenario file is checked against dsim's types
// (`import … from "dsim"` resolved to this dsim, installed or not), with the user's tsconfig.json
// when there is one; a type error is the scenario's (exit 4), named file:line:column; and a syntax
// error names its place, whether found by the check or by loading the file to run it.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, temporaryFolder } from "../fixtures/cli.ts";
import { writeUserScenario } from "../fixtures/userProject.ts";
import { runDsim } from "../reliability/process.ts";

/** ping.ts with one line changed: the server's state typed wrong on line `line`. */
function plantTypeError(folder: string): { path: string; line: number } {
  const path = writeUserScenario(folder);
  const lines = readFileSync(path, "utf8").split("\n");
  const line = lines.findIndex((text) => text.includes("readonly seen: Set<number>;"));
  lines.splice(line + 2, 0, "const planted: number = \"not a number\";");
  writeFileSync(path, lines.join("\n"));
  return { path, line: line + 3 };
}

describe("dsim typecheck", () => {
  it("passes a scenario that imports dsim by name", async () => {
    const path = writeUserScenario(temporaryFolder());
    const checked = await runCli(["typecheck", path]);
    expect(checked.code, checked.stdout).toBe(0);
    expect(checked.stdout).toMatch(/no type errors \(TypeScript \d+\.\d+\.\d+, strict defaults/);
  });

  it("names a planted type error by file, line and column (exit 4)", async () => {
    const folder = temporaryFolder();
    const { path, line } = plantTypeError(folder);
    const checked = await runCli(["typecheck", path, "--json"]);
    expect(checked.code).toBe(4);
    const result = JSON.parse(checked.stdout);
    expect(result.errors).toBe(1);
    expect(result.diagnostics[0]).toMatchObject({ line, column: 7, code: 2322 });
    expect(result.diagnostics[0].file.endsWith("ping.ts")).toBe(true);
    const text = await runCli(["typecheck", path]);
    expect(text.stdout).toContain(`ping.ts:${line}:7 - error TS2322: Type 'string' is not assignable to type 'number'.`);
    expect(text.stdout).toMatch(/1 type error in /);
  });

  it("uses the tsconfig.json of the scenario's project", async () => {
    const folder = temporaryFolder();
    const path = writeUserScenario(folder);
    writeFileSync(path, `${readFileSync(path, "utf8")}\nfunction unused(): void {}\n`);
    expect((await runCli(["typecheck", path])).code).toBe(0);
    writeFileSync(join(folder, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext", target: "ES2022", noUnusedLocals: true } }));
    const checked = await runCli(["typecheck", path, "--json"]);
    expect(checked.code).toBe(4);
    const result = JSON.parse(checked.stdout);
    expect(result.tsconfig.endsWith("tsconfig.json")).toBe(true);
    expect(result.diagnostics.map((diagnostic: { code: number }) => diagnostic.code)).toEqual([6133]);
  });

  it("names a syntax error by its place", async () => {
    const path = join(temporaryFolder(), "broken.ts");
    writeFileSync(path, 'import { defineScenario } from "dsim";\nconst x: number = ;\nexport default defineScenario;\n');
    const checked = await runCli(["typecheck", path]);
    expect(checked.code).toBe(4);
    expect(checked.stdout).toContain("broken.ts:2:19 - error TS1109: Expression expected.");
  });

  it("refuses a file that does not exist (exit 2)", async () => {
    const checked = await runCli(["typecheck", join(temporaryFolder(), "missing.ts")]);
    expect(checked.code).toBe(2);
    expect(checked.stderr).toMatch(/missing\.ts' does not exist/);
  });
});

describe("--typecheck on run and sweep", () => {
  it("checks first: a type error runs nothing and writes nothing (exit 4)", async () => {
    const folder = temporaryFolder();
    const { path, line } = plantTypeError(folder);
    const out = join(folder, "r");
    for (const command of [["run", path, "--seed", "0"], ["sweep", path, "--seeds", "3", "--workers", "1"]]) {
      const result = await runCli([...command, "--typecheck", "--out", out]);
      expect(result.code).toBe(4);
      expect(result.stderr).toContain(`ping.ts:${line}:7 - error TS2322`);
      expect(result.stderr).toMatch(/has 1 type error .*: nothing was run/);
      expect(existsSync(out)).toBe(false);
    }
  });

  it("runs a scenario that type-checks", async () => {
    const path = writeUserScenario(temporaryFolder());
    const result = await runCli(["run", path, "--seed", "1", "--typecheck", "--out", join(temporaryFolder(), "r")]);
    expect(result.code, result.stderr).toBe(0);
  });
});

describe("a syntax error when a scenario file loads to run", () => {
  it("says file:line:column and the message, not only 'Transform failed'", async () => {
    const folder = temporaryFolder();
    const path = join(folder, "broken.ts");
    writeFileSync(path, 'import { defineScenario } from "dsim";\nconst x: number = ;\nexport default defineScenario;\n');
    // As a real process: the binary's loader (tsx) compiles the file, not vitest's.
    for (const command of [["run", "./broken.ts", "--seed", "0"], ["sweep", "./broken.ts", "--seeds", "2", "--workers", "1"]]) {
      const result = await runDsim([...command, "--out", "r"], 60_000, folder);
      expect(result.code).toBe(4);
      expect(result.stderr).toBe(`dsim: scenario error: scenario file './broken.ts' failed to compile: broken.ts:2:19: Unexpected ";"\n`);
    }
  });
});
