// Where the CLI finds scenarios: the built-in registry (scenarios/index.ts, by name) or a user's
// scenario file (by path). Only the CLI imports the built-ins; the floors below load a scenario
// from the module this file names (explore/loader.ts), in any thread.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "../core/errors.ts";
import { ownModuleUrl } from "../core/ownModules.ts";
import { namesScenarioFile } from "../core/storedPaths.ts";
import type { Scenario } from "../core/scenario.ts";
import { importScenario, type ScenarioModule } from "../explore/loader.ts";
import type { LoadedScenario } from "../explore/plan.ts";
import { importStableScenario } from "../explore/stableDefinition.ts";
import { scenarios as BUILT_IN_SCENARIOS, unavailableScenarios } from "../../scenarios/index.ts";

const BUILT_INS_PATH = fileURLToPath(ownModuleUrl("../../scenarios/index", import.meta.url));

export function builtInScenarios(): readonly Scenario<any>[] {
  return BUILT_IN_SCENARIOS;
}

/** The module of a built-in scenario's name or a scenario file's path. */
export function scenarioModuleOf(source: string): ScenarioModule {
  if (!namesScenarioFile(source)) {
    if (BUILT_IN_SCENARIOS.some((scenario) => scenario.name === source)) return { path: BUILT_INS_PATH, name: source };
    const unavailable = unavailableScenarios.find((scenario) => scenario.name === source);
    if (unavailable !== undefined) throw new UsageError(`the built-in scenario '${source}' ${unavailable.reason}`);
    const known = BUILT_IN_SCENARIOS.map((scenario) => scenario.name).join(", ");
    throw new UsageError(`unknown scenario '${source}' (built-in: ${known}; or give a path to a scenario file)`);
  }
  const path = resolve(source);
  if (!existsSync(path)) throw new UsageError(`scenario file '${source}' does not exist`);
  return { path };
}

/**
 * A built-in scenario by name, or the scenario a file exports, with where workers find it. A file
 * is checked to be the same scenario when loaded again (no module-level ambient randomness).
 */
export async function loadScenario(source: string): Promise<LoadedScenario> {
  const module = scenarioModuleOf(source);
  const scenario = module.name === undefined ? await importStableScenario(module, source) : await importScenario(module, source);
  return { source, module, scenario };
}

/** Every built-in scenario, loaded. */
export function builtIns(): LoadedScenario[] {
  return BUILT_IN_SCENARIOS.map((scenario) => ({ source: scenario.name, module: { path: BUILT_INS_PATH, name: scenario.name }, scenario }));
}
