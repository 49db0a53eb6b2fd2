// `dsim init [DIR]`: scaffolds a scenario project the way a user starts one: scenario.ts (a small
// correct protocol and its bug, using dsim and dsim/kit), a tsconfig.json, and npm scripts in
// package.json (`sim`: sweep --expect, `sim:typecheck`). It never writes over a file: an existing
// scenario.ts is refused (exit 2, nothing written); an existing tsconfig.json or script is kept
// and said so. The scaffold passes `dsim typecheck` and `dsim sweep --expect` as written.

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { UsageError } from "../../core/errors.ts";
import { PACKAGE_ROOT } from "../../core/ownModules.ts";
import { defineCommand } from "../command.ts";
import { EXIT_HOLDS } from "../exitCodes.ts";

const SCENARIO_FILE = "scenario.ts";
const SCRIPTS: Readonly<Record<string, string>> = {
  sim: `dsim sweep ./${SCENARIO_FILE} --expect`,
  "sim:typecheck": `dsim typecheck ./${SCENARIO_FILE}`,
};

const template = (name: string): string => readFileSync(join(PACKAGE_ROOT, "templates", name), "utf8");

/** The package.json to write: the existing one with the scripts it lacks, or a new one. */
function packageJsonWith(path: string, folderName: string): { text: string; added: string[]; kept: string[]; hasDsim: boolean } {
  let manifest: Record<string, unknown> = { name: folderName.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[._-]+/, "") || "scenarios", private: true, type: "module" };
  if (existsSync(path)) {
    try {
      manifest = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`${path} is not JSON (${(error as Error).message}): init adds its scripts to a package.json it can read`);
    }
    if (manifest === null || typeof manifest !== "object" || Array.isArray(manifest)) throw new UsageError(`${path} is not a JSON object`);
  }
  const scripts = { ...((manifest.scripts ?? {}) as Record<string, string>) };
  const added: string[] = [];
  const kept: string[] = [];
  for (const [name, command] of Object.entries(SCRIPTS)) {
    if (scripts[name] === undefined) [scripts[name], added[added.length]] = [command, name];
    else if (scripts[name] !== command) kept.push(name);
  }
  const dependencies = { ...(manifest.dependencies as object), ...(manifest.devDependencies as object) };
  return { text: `${JSON.stringify({ ...manifest, scripts }, null, 2)}\n`, added, kept, hasDsim: Object.hasOwn(dependencies, "dsim") };
}

export const initCommand = defineCommand({
  command: "init [dir]",
  describe: "Scaffold a scenario project: scenario.ts, tsconfig.json and npm scripts",
  builder: (yargs) =>
    yargs
      .positional("dir", { type: "string", default: ".", describe: "the project folder (made if missing)" })
      .epilogue(
        `Writes ${SCENARIO_FILE} (a ping protocol with a correct variant and a buggy one, using dsim and dsim/kit), ` +
          "a tsconfig.json (strict, unless one is there) and the npm scripts sim (sweep --expect) and sim:typecheck in package.json (made if missing). " +
          `Never writes over a file: an existing ${SCENARIO_FILE} is refused (exit 2, nothing written).`,
      )
      .example("dsim init my-sim && cd my-sim && npm install --save-dev dsim typescript && npm run sim", "a new project, from nothing to a green sweep")
      .example("npx dsim init .", "in an existing project: scripts are added to its package.json"),
  run(args, io) {
    const dir = resolve(args.dir ?? ".");
    const scenarioPath = join(dir, SCENARIO_FILE);
    const tsconfigPath = join(dir, "tsconfig.json");
    const packagePath = join(dir, "package.json");
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${dir} is not a folder`);
    if (existsSync(scenarioPath)) throw new UsageError(`${relative(process.cwd(), scenarioPath) || SCENARIO_FILE} exists: init writes over nothing (move it, or init another folder)`);
    const manifest = packageJsonWith(packagePath, basename(dir));
    const writeTsconfig = !existsSync(tsconfigPath);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new UsageError(`cannot make ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const shown = (path: string) => relative(process.cwd(), path) || ".";
    writeFileSync(scenarioPath, template("scenario.ts"));
    io.out(`wrote ${shown(scenarioPath)}`);
    if (writeTsconfig) {
      writeFileSync(tsconfigPath, template("tsconfig.json"));
      io.out(`wrote ${shown(tsconfigPath)}`);
    } else io.out(`kept ${shown(tsconfigPath)}`);
    writeFileSync(packagePath, manifest.text);
    io.out(`${manifest.added.length > 0 ? `added the scripts ${manifest.added.join(", ")} to` : "no script added to"} ${shown(packagePath)}`);
    if (manifest.kept.length > 0) io.out(`kept your scripts ${manifest.kept.join(", ")} as they were (dsim's would be: ${manifest.kept.map((name) => SCRIPTS[name]).join("; ")})`);
    io.out("next:");
    if (dir !== process.cwd()) io.out(`  cd ${shown(dir)}`);
    if (!manifest.hasDsim) io.out("  npm install --save-dev dsim typescript");
    io.out("  npm run sim:typecheck   # dsim typecheck ./scenario.ts");
    io.out("  npm run sim             # dsim sweep ./scenario.ts --expect");
    return EXIT_HOLDS;
  },
});
