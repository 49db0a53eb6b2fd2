#!/usr/bin/env node
// The dsim binary: registers the TypeScript loader (tsx, so scenarios can be .ts files), then
// hands the arguments to the CLI, which returns the exit code. SIGINT and SIGTERM end it cleanly
// (cli/interrupt.ts).
import { registerTypeScript } from "../src/explore/typescript.js";

registerTypeScript();
const { main, handleInterrupts } = await import("../src/cli/main.ts");
handleInterrupts();
process.exitCode = await main(process.argv.slice(2));
