// Worker bootstrap: loads the worker's body named in workerData.entry. From the sources (a clone:
// the entry is TypeScript) it registers the TypeScript loader (tsx) first, as Node 20 workers do not
// inherit it. Compiled (dist/: the entry is JavaScript) the worker starts without it, about a
// third of its start-up: explore/loader.ts registers it before the first scenario that is not
// dsim's own compiled code (a user's .ts file, or one that imports "dsim").
import { workerData } from "node:worker_threads";

if (!workerData.entry.endsWith(".js")) {
  const { registerTypeScript } = await import("../typescript.js");
  registerTypeScript();
}
await import(workerData.entry);
