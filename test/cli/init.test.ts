// `dsim init [DIR]` (issue 15): the scaffold a user starts from passes `dsim typecheck` and
// `dsim sweep --expect` as written; init adds its scripts to an existing package.json and keeps
// the user's; it writes over nothing (an existing scenario.ts, or a package.json that is not JSON,
// is exit 2 with nothing written).

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { filesUnder, runCli, temporaryFolder } from "../fixtures/cli.ts";
import { runDsim } from "../reliability/process.ts";

describe("dsim init", () => {
  it("scaffolds a project whose scenario type-checks and sweeps as declared", async () => {
    const folder = join(temporaryFolder(), "my-sim");
    const made = await runCli(["init", folder]);
    expect(made.code, made.stderr).toBe(0);
    expect(filesUnder(folder)).toEqual(["package.json", "scenario.ts", "tsconfig.json"]);
    expect(JSON.parse(readFileSync(join(folder, "package.json"), "utf8"))).toEqual({
      name: "my-sim", private: true, type: "module",
      scripts: { sim: "dsim sweep ./scenario.ts --expect", "sim:typecheck": "dsim typecheck ./scenario.ts" },
    });
    expect(made.stdout).toContain("npm install --save-dev dsim typescript");
    const checked = await runCli(["typecheck", join(folder, "scenario.ts")]);
    expect(checked.code, checked.stdout).toBe(0);
    expect(checked.stdout).toContain("tsconfig.json)");
    const swept = await runDsim(["sweep", join(folder, "scenario.ts"), "--expect", "--out", join(folder, "reports")], 120_000);
    expect(swept.code, swept.stderr).toBe(0);
    expect(swept.stdout).toContain("2/2 variants behaved as declared");
  }, 150_000);

  it("adds its scripts to an existing package.json and keeps the user's script and tsconfig", async () => {
    const folder = temporaryFolder();
    writeFileSync(join(folder, "package.json"), JSON.stringify({ name: "mine", version: "1.0.0", scripts: { sim: "make sim" }, devDependencies: { dsim: "^0.2.0" } }));
    writeFileSync(join(folder, "tsconfig.json"), "{}");
    const made = await runCli(["init", folder]);
    expect(made.code).toBe(0);
    expect(JSON.parse(readFileSync(join(folder, "package.json"), "utf8"))).toEqual({
      name: "mine", version: "1.0.0", devDependencies: { dsim: "^0.2.0" },
      scripts: { sim: "make sim", "sim:typecheck": "dsim typecheck ./scenario.ts" },
    });
    expect(readFileSync(join(folder, "tsconfig.json"), "utf8")).toBe("{}");
    expect(made.stdout).toContain("kept your scripts sim as they were");
    expect(made.stdout).not.toContain("npm install");
  });

  it("writes over nothing: an existing scenario.ts or an unreadable package.json is exit 2", async () => {
    const folder = temporaryFolder();
    writeFileSync(join(folder, "scenario.ts"), "// mine\n");
    const refused = await runCli(["init", folder]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/scenario\.ts exists/);
    expect(filesUnder(folder)).toEqual(["scenario.ts"]);
    const other = temporaryFolder();
    writeFileSync(join(other, "package.json"), "{ not json");
    const unreadable = await runCli(["init", other]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/package\.json is not JSON/);
    expect(existsSync(join(other, "scenario.ts"))).toBe(false);
  });
});
