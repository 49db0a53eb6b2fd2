// Reading a history file in one of the formats `dsim check` knows, and checking each operation
// against the model: dsim's JSON, Porcupine's Jepsen logs, and Jepsen's EDN (which also covers
// Porcupine's kv histories). Every problem is the user's input error, named with the file; a
// model whose validate throws is broken (ModelError).

import { UsageError } from "../core/errors.ts";
import { readTextFile } from "../core/files.ts";
import { parseEdnHistory } from "./ednHistory.ts";
import { parseJsonHistory } from "./historyFile.ts";
import { parseJepsenLog } from "./jepsenLog.ts";
import type { Model, Operation } from "./sequentialModel.ts";
import { ModelError } from "./modelError.ts";

export const HISTORY_FORMATS = ["json", "jepsen-log", "edn"] as const;
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

export function isHistoryFormat(name: string): name is HistoryFormat {
  return (HISTORY_FORMATS as readonly string[]).includes(name);
}

/** The operations of a history file, each accepted by the model's `validate`. */
export function readHistory<State, Input, Output>(file: string, format: HistoryFormat, model: Model<State, Input, Output>): Operation<Input, Output>[] {
  const text = readTextFile(file, "history file");
  const operations = parseHistoryText(text, format, file);
  operations.forEach((operation, index) => {
    const problem = validate(model, operation as Operation<Input, Output>);
    if (problem !== undefined) throw new UsageError(`${file}: operation ${index} (called at ${operation.callMs}): ${problem}`);
  });
  return operations as Operation<Input, Output>[];
}

export function parseHistoryText(text: string, format: HistoryFormat, source: string): Operation<unknown, unknown>[] {
  switch (format) {
    case "json": {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new UsageError(`history file '${source}' is not valid JSON (for a Jepsen log or EDN history, give --format jepsen-log or edn)`);
      }
      return parseJsonHistory(value, source);
    }
    case "jepsen-log":
      return parseJepsenLog(text, source);
    case "edn":
      return parseEdnHistory(text, source);
  }
}

function validate<State, Input, Output>(model: Model<State, Input, Output>, operation: Operation<Input, Output>): string | undefined {
  if (model.validate === undefined) return undefined;
  try {
    return model.validate(operation);
  } catch (error) {
    throw new ModelError(`model '${model.name}': validate threw: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`);
  }
}
