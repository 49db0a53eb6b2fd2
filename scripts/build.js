// `npm run build` (and prepare, prepack): compiles src/ and scenarios/ to dist/ (ES modules and
// .d.ts, tsconfig.build.json: relative `.ts` imports become `.js`), then copies beside them the
// files tsc does not emit: the JavaScript that runs before TypeScript can load (the loader, the
// worker bootstrap), and the HTML pages' assets (stylesheet, diagram script). dist/ is emptied
// first, so a source file removed leaves nothing behind.

import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const dist = join(root, "dist");
const COMPILED = /\.(ts|mts|cts)$/;

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const compiled = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

let copied = 0;
for (const folder of ["src", "scenarios"]) {
  for (const entry of readdirSync(join(root, folder), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || COMPILED.test(entry.name)) continue;
    const from = join(entry.parentPath ?? entry.path, entry.name);
    const to = join(dist, relative(root, from));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
    copied++;
  }
}
console.error(`dsim built into ${relative(process.cwd(), dist) || "."}/ (${copied} files copied as they are)`);
