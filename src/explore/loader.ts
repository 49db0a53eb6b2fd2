// Loading a scenario from its module, in any thread: the module a scenario lives in, and its name
// when the module holds several. A module exports one scenario (`default` or `scenario`) or several
// (`scenarios`, a list: the built-in registry is such a module). Everything loaded is checked for
// the scenario's shape (bad input if not); a module that throws while loading is a broken scenario.
//
// Nothing here imports a scenario statically: the CLI names the built-ins' module (cli/registry.ts),
// so no floor below the CLI depends on the scenarios, which depend on the public API.

import { pathToFileURL } from "node:url";
import { ScenarioError, UsageError } from "../core/errors.ts";
import type { Scenario } from "../core/scenario.ts";

/** Where a scenario is: plain data, sent to worker threads. */
export interface ScenarioModule {
  /** Absolute path of the module file. */
  readonly path: string;
  /** The scenario's name, for a module that exports several. */
  readonly name?: string;
}

export async function importScenario(module: ScenarioModule, source: string): Promise<Scenario<any>> {
  let exported: Record<string, unknown>;
  try {
    exported = (await import(pathToFileURL(module.path).href)) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ScenarioError(`scenario file '${source}' failed to load: ${message}`);
  }
  if (Array.isArray(exported.scenarios) && module.name !== undefined) {
    const found = (exported.scenarios as Scenario<any>[]).find((scenario) => scenario?.name === module.name);
    if (found === undefined) throw new UsageError(`'${source}' has no scenario named '${module.name}'`);
    return validateScenario(found, `scenario '${module.name}'`);
  }
  const candidate = exported.default ?? exported.scenario;
  if (candidate === undefined) throw new UsageError(`scenario file '${source}' does not export a scenario (export default defineScenario({...}))`);
  return validateScenario(candidate, `scenario file '${source}'`);
}

/** Checks that a value has a scenario's shape; a bad one is bad input (exit 2), naming the field. */
export function validateScenario(value: unknown, source: string): Scenario<any> {
  const bad = (what: string): never => {
    throw new UsageError(`${source}: ${what}`);
  };
  if (value === null || typeof value !== "object") return bad("does not export a scenario object");
  const scenario = value as Record<string, unknown>;
  if (typeof scenario.name !== "string" || scenario.name === "") bad("a scenario needs a non-empty 'name'");
  for (const key of ["workload", "nodes", "project"]) if (typeof scenario[key] !== "function") bad(`a scenario needs a '${key}' function`);
  if (!Array.isArray(scenario.variants) || scenario.variants.length === 0) bad("a scenario needs at least one variant");
  const names = new Set<string>();
  for (const variant of scenario.variants as Record<string, unknown>[]) {
    if (typeof variant?.name !== "string" || variant.name === "") bad("every variant needs a 'name'");
    if (names.has(variant.name as string)) bad(`variant '${variant.name as string}' is declared twice`);
    names.add(variant.name as string);
    if (variant.expect !== "holds" && variant.expect !== "diverges") bad(`variant '${variant.name as string}' must declare expect: "holds" or "diverges"`);
  }
  return value as Scenario<any>;
}
