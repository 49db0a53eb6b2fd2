// `dsim check linearizable FILE --model kv`: checks a history recorded from any system (the JSON
// format of docs/checkers/linearizability.md) against a sequential model. Exit 0 linearizable,
// 1 not linearizable (or undecided within the step limit), 2 a bad file or option.

import { readFileSync } from "node:fs";
import { UsageError } from "../../core/errors.ts";
import { parseKvHistory } from "../../check/historyFile.ts";
import { checkLinearizability } from "../../check/linearizability.ts";
import { kvModel } from "../../check/models/kv.ts";
import { defineCommand } from "../command.ts";
import type { Io } from "../io.ts";
import { JSON_OPTION, parsePositiveInteger } from "../options.ts";
import { checkTransactionsCommand, TRANSACTION_CHECK_OPTIONS } from "./checkTransactions.ts";

export const CHECK_MODELS = ["kv"] as const;

export interface CheckOptions {
  readonly property: string;
  readonly file: string;
  readonly model: string;
  readonly stepsMax: number | undefined;
  readonly json: boolean;
}

export function checkCommand(options: CheckOptions, io: Io): number {
  if (options.property !== "linearizable") throw new UsageError(`unknown property '${options.property}' (known: linearizable)`);
  if (options.model !== "kv") throw new UsageError(`unknown model '${options.model}' (known: ${CHECK_MODELS.join(", ")})`);
  const history = parseKvHistory(readJson(options.file), options.file);
  const result = checkLinearizability(history, kvModel, options.stepsMax === undefined ? {} : { stepsMax: options.stepsMax });
  const base = { file: options.file, model: options.model, operations: history.length, partitions: result.partitions, verdict: result.verdict };
  if (options.json) {
    const detail =
      result.verdict === "not-linearizable"
        ? { explanation: result.explanation, violation: result.operations.map((operation) => ({ ...operation, description: kvModel.describe(operation) })) }
        : result.verdict === "unknown"
          ? { reason: result.reason }
          : {};
    io.out(JSON.stringify({ ...base, ...detail }, null, 2));
  } else if (result.verdict === "linearizable") {
    io.out(`${options.file}: ${io.color.green("linearizable")} (${history.length} operations, ${result.partitions} keys)`);
  } else if (result.verdict === "unknown") {
    io.out(`${options.file}: ${io.color.yellow("unknown")}: ${result.reason}`);
  } else {
    io.out(`${options.file}: ${io.color.red.bold("NOT linearizable")}: ${result.explanation}:`);
    for (const operation of result.operations) io.out(`  ${kvModel.describe(operation)}`);
  }
  return result.verdict === "linearizable" ? 0 : 1;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`history file '${file}' ${code === "ENOENT" ? "does not exist" : "cannot be read"}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`history file '${file}' is not valid JSON`);
  }
}

export const checkDefinition = defineCommand({
  command: "check <property> <file>",
  describe: "Check a recorded history (JSON) for a property: linearizable, serializable",
  builder: (yargs) =>
    yargs
      .positional("property", { type: "string", choices: ["linearizable", "serializable"], demandOption: true })
      .positional("file", { type: "string", describe: "a history file (docs/checkers/linearizability.md)", demandOption: true })
      .option("model", { type: "string", default: "kv", describe: "the sequential model: kv" })
      .option("steps-max", { type: "string", describe: "search steps per key before the answer is 'unknown'" })
      .option("json", JSON_OPTION)
      .options(TRANSACTION_CHECK_OPTIONS)
      .example("dsim check linearizable history.json --model kv", "exit 0 linearizable, 1 not")
      .example("dsim check serializable history.jsonl --level snapshot", "exit 0 the level holds, 1 an anomaly and its cycle (docs/checkers/serializability.md)"),
  run: (args, io) =>
    args.property === "serializable" ? checkTransactionsCommand(args, io) : checkCommand(
      {
        property: args.property,
        file: args.file,
        model: args.model,
        stepsMax: args.stepsMax === undefined ? undefined : parsePositiveInteger("steps-max", args.stepsMax),
        json: args.json,
      },
      io,
    ),
});
