// Registers the TypeScript loader (tsx) for ES modules and CommonJS alike, so a scenario file loads
// wherever it lives: in a "type": "module" package, in a CommonJS one, or in a bare folder (where
// Node takes a .ts file for CommonJS). And maps `import … from "dsim"` (and "dsim/kit") in a
// scenario file to this dsim (ownSpecifiers.js for ES modules, a clear error for require), so
// a scenario resolves dsim whether or not its project installed it. Used by the dsim binary and by
// each worker thread. Plain JavaScript: it runs before any TypeScript can load.

import { existsSync } from "node:fs";
import Module, { register as registerHooks } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register as registerEsm } from "tsx/esm/api";
import { register as registerCommonJs } from "tsx/cjs/api";

/** dsim's entry points beside this file: src/*.ts from a clone, dist/src/*.js compiled. */
function ownEntryPoints() {
  const extension = existsSync(fileURLToPath(new URL("../index.ts", import.meta.url))) ? ".ts" : ".js";
  return {
    dsim: fileURLToPath(new URL(`../index${extension}`, import.meta.url)),
    "dsim/kit": fileURLToPath(new URL(`../kit/index${extension}`, import.meta.url)),
  };
}

let registered = false;

export function registerTypeScript() {
  if (registered) return;
  registered = true;
  const entryPoints = ownEntryPoints();
  registerCommonJs();
  registerEsm();
  const targets = Object.fromEntries(Object.entries(entryPoints).map(([specifier, path]) => [specifier, pathToFileURL(path).href]));
  registerHooks(new URL("./ownSpecifiers.js", import.meta.url), { data: { targets } });
  // require("dsim") (a .cts file, a .js one in a CommonJS package): dsim is an ES module, which
  // Node 20 cannot require; say so instead of "Cannot find module".
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    if (!Object.hasOwn(entryPoints, request)) return resolveFilename.call(this, request, ...rest);
    const error = new Error(`require("${request}"): dsim is an ES module, which require() cannot load: write import … from "${request}" in a .ts, .mts or .mjs scenario file`);
    error.code = "ERR_REQUIRE_ESM";
    throw error;
  };
}
