#!/usr/bin/env node
// The dsim binary: hands the arguments to the CLI, which returns the exit code. SIGINT and SIGTERM
// end it cleanly (cli/interrupt.ts).
//
// Installed from npm, dsim runs compiled (dist/src/, JavaScript), and the TypeScript loader (tsx,
// so scenarios and models can be .ts files, and `import "dsim"` in them means this dsim) is
// registered only when a user's file is about to load (explore/loader.ts): with it registered,
// every import of dsim's own goes through its hooks, which cost a third of a short command's time
// (0.65 → 0.44 s for a one-seed sweep). In a clone of the repository, where the TypeScript sources
// are beside this file, it runs them, so it registers the loader first: an edit needs no build,
// and tests run what they read.
import { existsSync } from "node:fs";

const root = new URL("../", import.meta.url);
const sources = existsSync(new URL("src/cli/main.ts", root));
const base = new URL(sources ? "src/" : "dist/src/", root);
if (sources) {
  const { registerTypeScript } = await import(new URL("explore/typescript.js", base).href);
  registerTypeScript();
}
const { main, handleInterrupts } = await import(new URL(`cli/main.${sources ? "ts" : "js"}`, base).href);
handleInterrupts();
process.exitCode = await main(process.argv.slice(2));
