// Where dsim's own modules are. dsim runs from its TypeScript sources (a clone of the repository:
// src/ and scenarios/ through tsx) or compiled (the npm package: dist/src/ and dist/scenarios/,
// plain JavaScript). A module that names another of dsim's modules at run time (a worker's entry,
// the built-in scenarios' module) names it without extension, through here, so both work.

import { fileURLToPath } from "node:url";

/** True when this copy of dsim runs from dist/ (compiled JavaScript). */
export const RUNS_COMPILED = import.meta.url.endsWith(".js");

/** The extension of dsim's modules as this copy runs them. */
export const MODULE_EXTENSION = RUNS_COMPILED ? ".js" : ".ts";

/** One of dsim's modules, named relative to `base` (an import.meta.url) without its extension. */
export function ownModuleUrl(pathWithoutExtension: string, base: string): URL {
  return new URL(`${pathWithoutExtension}${MODULE_EXTENSION}`, base);
}

/** The folder that holds dsim's package.json and bin/ (this file is src/core/ or dist/src/core/). */
export const PACKAGE_ROOT = fileURLToPath(new URL(RUNS_COMPILED ? "../../../" : "../../", import.meta.url));

/** dsim's public interface and scenario kit: what `import "dsim"` and `import "dsim/kit"` mean in a scenario file. */
export const OWN_ENTRY_POINTS: Readonly<Record<"dsim" | "dsim/kit", string>> = {
  dsim: fileURLToPath(ownModuleUrl("../index", import.meta.url)),
  "dsim/kit": fileURLToPath(ownModuleUrl("../kit/index", import.meta.url)),
};
