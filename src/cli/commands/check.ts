// `dsim check linearizable FILE --model kv|register|./model.ts [--format json|jepsen-log|edn]`:
// checks a history recorded from any system (docs/checkers/linearizability.md) against a
// sequential model. Exit 0 linearizable, 1 not linearizable, 2 a bad file or option, 4 the user's
// model is broken (it threw), 5 unknown (a step or memory budget ran out; never a pass).
// `dsim check serializable` is checkTransactions.ts.

import { UsageError } from "../../core/errors.ts";
import { HISTORY_FORMATS, readHistory, type HistoryFormat } from "../../check/historyFormats.ts";
import { checkLinearizability, DEFAULT_LINEARIZABILITY_LIMITS, type LinearizabilityLimits } from "../../check/linearizability.ts";
import { ModelError } from "../../check/modelError.ts";
import { BUILT_IN_MODELS, loadModel, type AnyModel } from "../../check/models/load.ts";
import { registerTypeScriptLoader } from "../../explore/loader.ts";
import { defineCommand } from "../command.ts";
import { EXIT_DIVERGES, EXIT_HOLDS, EXIT_UNKNOWN } from "../exitCodes.ts";
import type { Io } from "../io.ts";
import { JSON_OPTION, parsePositiveInteger } from "../options.ts";
import { checkTransactionsCommand, TRANSACTION_CHECK_OPTIONS } from "./checkTransactions.ts";

export interface CheckOptions {
  readonly property: string;
  readonly file: string;
  readonly model: string;
  readonly format: HistoryFormat;
  /** The built-in models' value of a key or register never written, as JSON text. */
  readonly initial: string | undefined;
  readonly limits: Partial<LinearizabilityLimits>;
  readonly json: boolean;
}

export async function checkCommand(options: CheckOptions, io: Io): Promise<number> {
  if (options.property !== "linearizable") throw new UsageError(`unknown property '${options.property}' (known: linearizable, serializable)`);
  return checkLinearizable(options, io);
}

async function checkLinearizable(options: CheckOptions, io: Io): Promise<number> {
  // A model file of the user's may be TypeScript, and may import "dsim".
  if (!(BUILT_IN_MODELS as readonly string[]).includes(options.model)) await registerTypeScriptLoader();
  const model = await loadModel(options.model, options.initial === undefined ? {} : { initial: parseInitial(options.initial) });
  const history = readHistory(options.file, options.format, model);
  const result = checkLinearizability(history, model, options.limits);
  const describe = describerOf(model);
  const base = {
    file: options.file,
    model: model.name,
    format: options.format,
    operations: history.length,
    partitions: result.partitions,
    verdict: result.verdict,
    steps: result.steps,
    memoryBytesPeak: result.memoryBytesPeak,
  };
  if (options.json) {
    const detail =
      result.verdict === "not-linearizable"
        ? {
            explanation: result.explanation,
            explained: result.explained,
            explainSteps: result.explainSteps,
            violation: result.operations.map((operation) => ({ ...operation, description: describe(operation) })),
          }
        : result.verdict === "unknown"
          ? { limit: result.limit, reason: result.reason }
          : {};
    io.out(JSON.stringify({ ...base, ...detail }, null, 2));
  } else if (result.verdict === "linearizable") {
    io.out(`${options.file}: ${io.color.green("linearizable")} (${history.length} operations, ${result.partitions} partitions, ${result.steps} steps)`);
  } else if (result.verdict === "unknown") {
    const option = result.limit === "steps" ? "--steps-max" : "--memory-max-mb";
    io.out(`${options.file}: ${io.color.yellow("unknown")}: ${result.reason}; raise ${option} to decide it`);
  } else if (result.explained === "off") {
    io.out(`${options.file}: ${io.color.red.bold("NOT linearizable")}: ${result.explanation} (drop --no-explain for a minimal set of operations)`);
  } else {
    io.out(`${options.file}: ${io.color.red.bold("NOT linearizable")}: ${result.explanation}:`);
    for (const operation of result.operations) io.out(`  ${describe(operation)}`);
    if (result.explained === "cut-short") io.out(`(the minimization spent its ${result.explainSteps} steps; give --explain or raise --explain-steps-max for a minimal set)`);
  }
  return result.verdict === "linearizable" ? EXIT_HOLDS : result.verdict === "unknown" ? EXIT_UNKNOWN : EXIT_DIVERGES;
}

function describerOf(model: AnyModel): (operation: Parameters<AnyModel["describe"]>[0]) => string {
  return (operation) => {
    try {
      return model.describe(operation);
    } catch (error) {
      throw new ModelError(`model '${model.name}': describe threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

function parseInitial(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--initial must be a JSON value, e.g. '""', 0 or null (got '${text}')`);
  }
}

/**
 * The minimization's budget: bounded by default; `--explain` lets it spend the search's whole step
 * budget (unless --explain-steps-max says otherwise); `--no-explain` skips it.
 */
function explainLimits(explain: boolean | undefined, explainStepsMax: string | undefined, stepsMax: number | undefined): Partial<LinearizabilityLimits> {
  if (explain === false) return { explain: false };
  if (explainStepsMax !== undefined) return { explain: true, explainStepsMax: parsePositiveInteger("explain-steps-max", explainStepsMax) };
  if (explain === true) return { explain: true, explainStepsMax: stepsMax ?? DEFAULT_LINEARIZABILITY_LIMITS.stepsMax };
  return { explain: true };
}

const DEFAULTS = DEFAULT_LINEARIZABILITY_LIMITS;

export const checkDefinition = defineCommand({
  command: "check <property> <file>",
  describe: "Check a recorded history for a property: linearizable, serializable (exit 0 holds, 1 not, 5 unknown)",
  builder: (yargs) =>
    yargs
      .positional("property", { type: "string", choices: ["linearizable", "serializable"], demandOption: true })
      .positional("file", { type: "string", describe: "a history file (docs/checkers/)", demandOption: true })
      .option("model", { type: "string", default: "kv", describe: "linearizable: the sequential model: kv, register, or a .ts/.js file exporting a Model" })
      .option("format", { type: "string", choices: HISTORY_FORMATS, default: "json", describe: "linearizable: the file's format: dsim's JSON, a Jepsen log (Porcupine's etcd logs), or Jepsen EDN" })
      .option("initial", { type: "string", describe: "linearizable, kv and register: the value (JSON) of a key never written (default null)" })
      .option("steps-max", { type: "string", describe: `linearizable: search steps before the answer is 'unknown' (default ${DEFAULTS.stepsMax})` })
      .option("memory-max-mb", { type: "string", describe: `linearizable: MiB the search's memo may hold before the answer is 'unknown' (default ${DEFAULTS.memoryBytesMax / 2 ** 20})` })
      .option("explain", {
        type: "boolean",
        describe: `linearizable: minimize a violation to a 1-minimal set of operations with the whole step budget (default: within ${DEFAULTS.explainStepsMax} steps; --no-explain: not at all)`,
      })
      .option("explain-steps-max", { type: "string", describe: "linearizable: search steps the minimization may spend" })
      .option("json", JSON_OPTION)
      .options(TRANSACTION_CHECK_OPTIONS)
      .example("dsim check linearizable history.json --model kv", "exit 0 linearizable, 1 not (with the operations), 5 unknown")
      .example("dsim check linearizable etcd_000.log --format jepsen-log --model register", "a Jepsen log of a compare-and-set register")
      .example("dsim check linearizable c50-ok.txt --format edn --model kv --initial '\"\"'", "Porcupine's kv histories: a missing key reads \"\"")
      .example("dsim check linearizable history.json --model ./my-model.ts", "a model of your own (exit 4 if it throws)")
      .example("dsim check serializable history.jsonl --level snapshot", "exit 0 the level holds, 1 an anomaly and its cycle (docs/checkers/serializability.md)"),
  run: async (args, io) => {
    if (args.property === "serializable") return checkTransactionsCommand(args, io);
    const stepsMax = args.stepsMax === undefined ? undefined : parsePositiveInteger("steps-max", args.stepsMax);
    const limits: Partial<LinearizabilityLimits> = {
      ...(stepsMax === undefined ? {} : { stepsMax }),
      ...(args.memoryMaxMb === undefined ? {} : { memoryBytesMax: parsePositiveInteger("memory-max-mb", args.memoryMaxMb) * 2 ** 20 }),
      ...explainLimits(args.explain, args.explainStepsMax, stepsMax),
    };
    return checkCommand(
      { property: args.property, file: args.file, model: args.model, format: args.format as HistoryFormat, initial: args.initial, limits, json: args.json },
      io,
    );
  },
});
