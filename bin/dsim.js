#!/usr/bin/env node
// The dsim binary: registers the TypeScript loader (tsx, so scenarios can be .ts files, and
// `import "dsim"` in them means this dsim), then hands the arguments to the CLI, which returns the
// exit code. SIGINT and SIGTERM end it cleanly (cli/interrupt.ts).
//
// Installed from npm, dsim runs compiled (dist/src/, JavaScript). In a clone of the repository,
// where the TypeScript sources are beside this file, it runs them (through tsx): an edit needs no
// build, and tests run what they read.
import { existsSync } from "node:fs";

const root = new URL("../", import.meta.url);
const sources = existsSync(new URL("src/cli/main.ts", root));
const base = new URL(sources ? "src/" : "dist/src/", root);
const { registerTypeScript } = await import(new URL("explore/typescript.js", base).href);
registerTypeScript();
const { main, handleInterrupts } = await import(new URL(`cli/main.${sources ? "ts" : "js"}`, base).href);
handleInterrupts();
process.exitCode = await main(process.argv.slice(2));
