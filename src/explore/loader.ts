// Loading a scenario from its module, in any thread: the module a scenario lives in, and its name
// when the module holds several. A module exports one scenario (`default` or `scenario`) or several
// (`scenarios`, a list: the built-in registry is such a module). A module that throws while loading
// is a broken scenario (exit 4, the user's line named); a definition of the wrong shape is bad input
// (exit 2): one line naming the field, with a "did you mean" for a misspelled one (`invariant:`).
//
// Nothing here imports a scenario statically: the CLI names the built-ins' module (cli/registry.ts),
// so no floor below the CLI depends on the scenarios, which depend on the public API.

import { join, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { didYouMean } from "../core/didYouMean.ts";
import { ScenarioError, UsageError } from "../core/errors.ts";
import { PACKAGE_ROOT, RUNS_COMPILED } from "../core/ownModules.ts";
import type { Scenario } from "../core/scenario.ts";
import { atScenarioFrame, syntaxErrorOf } from "../core/scenarioFrame.ts";

/** Where a scenario is: plain data, sent to worker threads. */
export interface ScenarioModule {
  /** Absolute path of the module file. */
  readonly path: string;
  /** The scenario's name, for a module that exports several. */
  readonly name?: string;
}

/** True for dsim's own compiled modules (the built-in scenarios in dist/), which load without tsx. */
function isOwnCompiledModule(path: string): boolean {
  return RUNS_COMPILED && path.startsWith(join(PACKAGE_ROOT, "dist", sep));
}

/**
 * Registers the TypeScript loader and the "dsim" specifiers (typescript.js), once: before a user's
 * file (a scenario, a model) is imported. Compiled dsim, its CLI and its workers, start without them.
 */
export async function registerTypeScriptLoader(): Promise<void> {
  const loader = (await import(new URL("./typescript.js", import.meta.url).href)) as { registerTypeScript(): void };
  loader.registerTypeScript();
}

export async function importScenario(module: ScenarioModule, source: string): Promise<Scenario<any>> {
  if (!isOwnCompiledModule(module.path)) await registerTypeScriptLoader();
  let exported: Record<string, unknown>;
  try {
    exported = (await import(pathToFileURL(module.path).href)) as Record<string, unknown>;
  } catch (error) {
    const syntaxError = syntaxErrorOf(error);
    if (syntaxError !== undefined) throw new ScenarioError(`scenario file '${source}' failed to compile: ${syntaxError}`);
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    // Node before 20.19 cannot require an ES module: dsim compiled, from a scenario loaded as CommonJS.
    const hint = (error as { code?: unknown }).code === "ERR_REQUIRE_ESM" ? ` (Node loaded the scenario as CommonJS: give its folder a package.json with "type": "module", or name it .mts)` : "";
    throw new ScenarioError(`scenario file '${source}' failed to load: ${message}${hint}${atScenarioFrame(error)}`);
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

/** What is wrong with a field's value (`label`: how to name it), or undefined when it is right. */
type FieldCheck = (value: unknown, label: string) => string | undefined;

interface Field {
  readonly required: boolean;
  readonly check: FieldCheck;
}

type Shape = Readonly<Record<string, Field>>;

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

const text: FieldCheck = (value, label) => (typeof value === "string" ? undefined : `${label} must be a string, got ${describe(value)}`);
const name: FieldCheck = (value, label) => (typeof value === "string" && value.trim() !== "" ? undefined : `${label} must be a non-empty string, got ${describe(value)}`);
const callable: FieldCheck = (value, label) => (typeof value === "function" ? undefined : `${label} must be a function, got ${describe(value)}`);
const positiveInteger: FieldCheck = (value, label) => (Number.isSafeInteger(value) && (value as number) > 0 ? undefined : `${label} must be a positive integer, got ${describe(value)}`);
const sizeValue: FieldCheck = (value, label) => (Number.isSafeInteger(value) && (value as number) >= 0 ? undefined : `${label} must be a non-negative integer, got ${describe(value)}`);

function describe(value: unknown): string {
  if (typeof value === "number" || typeof value === "string") return JSON.stringify(value);
  return value === null ? "null" : Array.isArray(value) ? "a list" : typeof value;
}

/** The first problem of an object against its shape: an unknown key (with a suggestion), a missing or mistyped field. */
function shapeProblem(value: unknown, shape: Shape, what: string): string | undefined {
  if (!isPlainObject(value)) return `${what} must be an object, got ${describe(value)}`;
  const known = Object.keys(shape);
  for (const key of Object.keys(value)) {
    if (!(key in shape)) return `${what} has an unknown field '${key}'${didYouMean(key, known)} (its fields: ${known.join(", ")})`;
  }
  for (const [key, field] of Object.entries(shape)) {
    if (value[key] === undefined) {
      if (field.required) return `${what} needs '${key}'`;
      continue;
    }
    const problem = field.check(value[key], `${what}: '${key}'`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

const VARIANT: Shape = {
  name: { required: true, check: name },
  expect: { required: true, check: (value, label) => (value === "holds" || value === "diverges" ? undefined : `${label} must be "holds" or "diverges", got ${describe(value)}`) },
  description: { required: true, check: text },
  seedBudget: { required: false, check: positiveInteger },
};

const INVARIANT: Shape = {
  name: { required: true, check: name },
  description: { required: true, check: text },
  check: { required: true, check: callable },
};

const SWARM_RANGE: Shape = {
  min: { required: true, check: sizeValue },
  max: { required: true, check: sizeValue },
};

const SIZE: Shape = {
  default: { required: true, check: sizeValue },
  min: { required: true, check: sizeValue },
  max: { required: true, check: sizeValue },
  description: { required: true, check: text },
  swarm: { required: false, check: (value, label) => shapeProblem(value, SWARM_RANGE, label) },
};

const LIMITS: Shape = {
  eventsMax: { required: false, check: positiveInteger },
  virtualTimeMaxMs: { required: false, check: positiveInteger },
};

/** `node:file`, either part `*` (see StorageFaultDeclaration). */
const filePatterns: FieldCheck = (value, label) => {
  if (!Array.isArray(value)) return `${label} must be a list of "node:file" patterns, got ${describe(value)}`;
  const bad = value.find((item) => typeof item !== "string" || !/^[^:]+:.+$/.test(item));
  return bad === undefined ? undefined : `${label}: ${describe(bad)} is not a "node:file" pattern (either part may be *)`;
};

const STORAGE_FAULTS: Shape = {
  corruption: { required: false, check: filePatterns },
  lostFsync: { required: false, check: filePatterns },
  misdirectedWrite: { required: false, check: filePatterns },
  copies: {
    required: false,
    check: (value, label) => {
      if (!Array.isArray(value)) return `${label} must be a list of groups of "node:file" patterns, got ${describe(value)}`;
      for (const [index, group] of value.entries()) {
        const problem = filePatterns(group, `${label}[${index}]`);
        if (problem !== undefined) return problem;
      }
      return undefined;
    },
  },
};

/** A list of named records of one shape, their names unique. */
function namedList(shape: Shape, kind: string, nonEmpty: boolean): FieldCheck {
  return (value, label) => {
    if (!Array.isArray(value)) return `${label} must be a list of ${kind}s, got ${describe(value)}`;
    if (nonEmpty && value.length === 0) return `${label} needs at least one ${kind}`;
    const names = new Set<string>();
    for (const [index, item] of value.entries()) {
      const what = isPlainObject(item) && typeof item.name === "string" ? `${kind} '${item.name}'` : `${kind} ${index + 1}`;
      const problem = shapeProblem(item, shape, what);
      if (problem !== undefined) return problem;
      const itemName = (item as { name: string }).name;
      if (names.has(itemName)) return `${kind} '${itemName}' is declared twice`;
      names.add(itemName);
    }
    return undefined;
  };
}

const sizeTable: FieldCheck = (value, label) => {
  if (!isPlainObject(value)) return `${label} must be an object of sizes by name, got ${describe(value)}`;
  for (const [sizeName, spec] of Object.entries(value)) {
    const what = `size '${sizeName}'`;
    if (!/^[A-Za-z][\w-]*$/.test(sizeName)) return `${what}: a size's name starts with a letter and holds letters, digits, _ and -, so that --size NAME=N can name it`;
    const problem = shapeProblem(spec, SIZE, what);
    if (problem !== undefined) return problem;
    const { min, max, default: fallback } = spec as { readonly min: number; readonly max: number; readonly default: number };
    if (!(min <= fallback && fallback <= max)) return `${what} needs min ≤ default ≤ max, got min ${min}, default ${fallback}, max ${max}`;
    const swarm = (spec as { readonly swarm?: { readonly min: number; readonly max: number } }).swarm;
    if (swarm !== undefined && !(min <= swarm.min && swarm.min <= swarm.max && swarm.max <= max)) {
      return `${what}: 'swarm' needs min ≤ swarm.min ≤ swarm.max ≤ max, got [${swarm.min}, ${swarm.max}] within [${min}, ${max}]`;
    }
  }
  return undefined;
};

/**
 * Every field of a scenario, with its check. Typed by the Scenario interface: a field added there
 * fails to compile until it is added here, so a new field is never rejected as unknown.
 */
const SCENARIO: Readonly<Record<keyof Scenario<any>, Field>> = {
  name: { required: true, check: name },
  description: { required: true, check: text },
  variants: { required: true, check: namedList(VARIANT, "variant", true) },
  workload: { required: true, check: callable },
  sizes: { required: false, check: sizeTable },
  nodes: { required: true, check: callable },
  project: { required: true, check: callable },
  admissible: { required: false, check: callable },
  invariants: { required: false, check: namedList(INVARIANT, "invariant", false) },
  settled: { required: false, check: callable },
  eventually: { required: false, check: namedList(INVARIANT, "eventually property", false) },
  roles: { required: false, check: callable },
  limits: { required: false, check: (value) => shapeProblem(value, LIMITS, "limits") },
  storageFaults: { required: false, check: (value) => shapeProblem(value, STORAGE_FAULTS, "storageFaults") },
};

/** Checks that a value has a scenario's shape; a bad one is bad input (exit 2), one line naming the field. */
export function validateScenario(value: unknown, source: string): Scenario<any> {
  if (value === null || typeof value !== "object") throw new UsageError(`${source}: does not export a scenario object`);
  const problem = shapeProblem(value, SCENARIO, "the scenario");
  if (problem !== undefined) throw new UsageError(`${source}: ${problem}`);
  return value as Scenario<any>;
}
