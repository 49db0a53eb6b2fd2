// Worker bootstrap: registers the TypeScript loader (tsx) inside the worker thread, then loads the
// worker's TypeScript body named in workerData.entry. (Node 20 workers do not inherit the loader.)
import { workerData } from "node:worker_threads";
import { registerTypeScript } from "../typescript.js";

registerTypeScript();
await import(workerData.entry);
