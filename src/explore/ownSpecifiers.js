// A resolve hook (node:module's register, run on Node's loader thread) that maps the bare
// specifiers "dsim" and "dsim/kit" to the running dsim's own modules, so a scenario file imports
// the dsim that loads it: installed in the scenario's project or not, and never a second copy.
// The targets come from typescript.js, which registers this hook in every thread that loads
// scenarios.

/** @type {Readonly<Record<string, string>>} specifier → file URL */
let targets = {};

export function initialize(data) {
  targets = data.targets;
}

export async function resolve(specifier, context, nextResolve) {
  // The target goes on down the chain, so the TypeScript loader resolves it as its own.
  return nextResolve(targets[specifier] ?? specifier, context);
}
