// Registers the TypeScript loader (tsx) for ES modules and CommonJS alike, so a scenario file
// loads wherever it lives: in a "type": "module" package, in a CommonJS one, or in a bare folder
// (where Node takes a .ts file for CommonJS). Used by the dsim binary and by each worker thread.
import { register as registerEsm } from "tsx/esm/api";
import { register as registerCommonJs } from "tsx/cjs/api";

export function registerTypeScript() {
  registerCommonJs();
  registerEsm();
}
