// Registers the TypeScript loader (tsx) for ES modules and CommonJS alike, so a scenario file loads
// wherever it lives: in a "type": "module" package, in a CommonJS one, or in a bare folder (where
// Node takes a .ts file for CommonJS). And maps `import … from "dsim"` (and "dsim/kit") in a
// scenario file to this dsim (ownSpecifiers.js for ES modules, a resolve filter for require), so
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
  // require("dsim"): Node loads a .ts file of a bare folder or a CommonJS package as CommonJS, its
  // imports turned into require calls. Compiled, the entry is an ES module that Node ≥ 20.19
  // requires as the same module the CLI imported; from the sources, tsx compiles it for require.
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return Object.hasOwn(entryPoints, request) ? entryPoints[request] : resolveFilename.call(this, request, ...rest);
  };
}
