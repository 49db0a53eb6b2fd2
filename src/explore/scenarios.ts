// Finding a scenario by name or file: the built-in registry, or a user's module that exports a
// scenario (as `default` or `scenario`). Everything loaded is checked for the scenario's shape.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Scenario } from "../scenario.ts";
import { UsageError } from "../errors.ts";
import { BUILT_IN_SCENARIOS } from "../../scenarios/index.ts";

export function builtInScenarios(): readonly Scenario<any>[] {
  return BUILT_IN_SCENARIOS;
}

function looksLikePath(reference: string): boolean {
  return reference.includes("/") || reference.includes("\\") || /\.(ts|mts|js|mjs)$/.test(reference);
}

/** A built-in scenario by name, or the scenario a file exports. */
export async function loadScenario(reference: string): Promise<Scenario<any>> {
  if (!looksLikePath(reference)) {
    const found = BUILT_IN_SCENARIOS.find((scenario) => scenario.name === reference);
    if (found !== undefined) return found;
    const known = BUILT_IN_SCENARIOS.map((scenario) => scenario.name).join(", ");
    throw new UsageError(`unknown scenario '${reference}' (built-in: ${known}; or give a path to a scenario file)`);
  }
  const path = resolve(reference);
  if (!existsSync(path)) throw new UsageError(`scenario file '${reference}' does not exist`);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UsageError(`scenario file '${reference}' failed to load: ${message}`);
  }
  const candidate = module.default ?? module.scenario;
  if (candidate === undefined) throw new UsageError(`scenario file '${reference}' does not export a scenario (export default defineScenario({...}))`);
  return validateScenario(candidate, `scenario file '${reference}'`);
}

/** Checks that a value has a scenario's shape; a bad one is the user's input error. */
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
