// Finding the model `dsim check --model` names: a built-in one (kv, register) or a module of the
// user's (a .ts or .js file exporting a Model as `default` or `model`), checked for the Model's
// shape. A missing file or a wrong shape is the user's input error; a file that throws while
// loading is a broken model (ModelError), as a scenario file that throws is a broken scenario.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { UsageError } from "../../core/errors.ts";
import type { Model, Operation } from "../sequentialModel.ts";
import { ModelError } from "../modelError.ts";
import { createKvModel } from "./kv.ts";
import { createRegisterModel, type RegisterValue } from "./register.ts";
import { operationTimes } from "./shared.ts";

export const BUILT_IN_MODELS = ["kv", "register"] as const;

export type AnyModel = Model<unknown, unknown, unknown>;

export interface ModelOptions {
  /** The value of a key or register never written, for the built-in models (JSON). */
  readonly initial?: unknown;
}

export async function loadModel(reference: string, options: ModelOptions = {}): Promise<AnyModel> {
  const { initial } = options;
  if (reference === "kv") {
    if (initial !== undefined && initial !== null && typeof initial !== "string") throw new UsageError("--initial for the kv model must be a JSON string or null");
    return createKvModel(initial === undefined ? {} : { initial }) as unknown as AnyModel;
  }
  if (reference === "register") {
    const primitive = initial === null || ["string", "number", "boolean"].includes(typeof initial);
    if (initial !== undefined && !primitive) throw new UsageError("--initial for the register model must be a JSON string, number, boolean or null");
    return createRegisterModel(initial === undefined ? {} : { initial: initial as RegisterValue }) as unknown as AnyModel;
  }
  if (!/[/\\]|\.(ts|mts|js|mjs)$/.test(reference)) throw new UsageError(`unknown model '${reference}' (built-in: ${BUILT_IN_MODELS.join(", ")}; or give a path to a model file)`);
  if (initial !== undefined) throw new UsageError("--initial applies to the built-in models; a model of your own sets its own init()");
  const path = resolve(reference);
  if (!existsSync(path)) throw new UsageError(`model file '${reference}' does not exist`);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ModelError(`model file '${reference}' failed to load: ${message}`);
  }
  return validateModel(module.default ?? module.model, `model file '${reference}'`);
}

/** Checks a value has a Model's shape (a bad one is the user's input error) and fills in a default describe. */
export function validateModel(value: unknown, source: string): AnyModel {
  if (value === null || typeof value !== "object") throw new UsageError(`${source} does not export a model (export default { name, init, step, ... })`);
  const model = value as Record<string, unknown>;
  if (typeof model.name !== "string" || model.name === "") throw new UsageError(`${source}: a model needs a non-empty 'name'`);
  for (const field of ["init", "step"]) if (typeof model[field] !== "function") throw new UsageError(`${source}: a model needs a '${field}' function`);
  for (const field of ["partition", "stateKey", "describe", "validate"]) {
    if (model[field] !== undefined && typeof model[field] !== "function") throw new UsageError(`${source}: '${field}' must be a function when given`);
  }
  const given = value as AnyModel;
  if (model.describe !== undefined) return given;
  return Object.assign(Object.create(given) as AnyModel, { describe: describeJson });
}

function describeJson(operation: Operation<unknown, unknown>): string {
  const output = operation.output === undefined ? "?" : JSON.stringify(operation.output);
  return `${operation.client} ${JSON.stringify(operation.input)} → ${output} ${operationTimes(operation)}`;
}
