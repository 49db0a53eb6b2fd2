// `dsim check serializable FILE [--level serializable|snapshot|read-committed]`: checks a
// transactional history (JSON lines, docs/checkers/serializability.md) for the anomalies the
// level forbids. Exit 0 the level holds, 1 an anomaly (with its cycle), 2 a bad file or option,
// 5 a limit ran out before an answer ("unknown", never a pass).

import { UsageError } from "../../core/errors.ts";
import { readTextFile } from "../../core/files.ts";
import { checkTransactions, type TransactionCheckLimits } from "../../check/transactions/check.ts";
import { ISOLATION_LEVELS, type IsolationLevel } from "../../check/transactions/history.ts";
import { parseTransactionHistory } from "../../check/transactions/parse.ts";
import { EXIT_DIVERGES, EXIT_HOLDS, EXIT_UNKNOWN } from "../exitCodes.ts";
import type { Io } from "../io.ts";
import { parsePositiveInteger } from "../options.ts";

/** The options `dsim check` adds for this property (yargs option specs). */
export const TRANSACTION_CHECK_OPTIONS = {
  level: { type: "string", default: "serializable", describe: "serializable: the isolation level to check: serializable, snapshot or read-committed" },
  "transactions-max": { type: "string", describe: "serializable: transactions before the answer is 'unknown' (default 1000000)" },
  "edges-max": { type: "string", describe: "serializable: dependency edges before the answer is 'unknown' (default 20000000)" },
  "search-steps-max": { type: "string", describe: "serializable: cycle-search steps before the answer is 'unknown' (default 100000000)" },
} as const;

export interface TransactionCheckArguments {
  readonly file?: string;
  readonly level?: string;
  readonly "transactions-max"?: string;
  readonly "edges-max"?: string;
  readonly "search-steps-max"?: string;
  readonly json: boolean;
}

const LEVEL_NAMES: Readonly<Record<IsolationLevel, string>> = { serializable: "serializable", snapshot: "snapshot isolation", "read-committed": "read committed" };

export function checkTransactionsCommand(args: TransactionCheckArguments, io: Io): number {
  const file = args.file ?? "";
  const level = (args.level ?? "serializable") as IsolationLevel;
  if (!ISOLATION_LEVELS.includes(level)) throw new UsageError(`unknown level '${args.level}' (known: ${ISOLATION_LEVELS.join(", ")})`);
  const limits: Partial<TransactionCheckLimits> = {
    ...limit("transactionsMax", "transactions-max", args["transactions-max"]),
    ...limit("edgesMax", "edges-max", args["edges-max"]),
    ...limit("searchStepsMax", "search-steps-max", args["search-steps-max"]),
  };
  const history = parseTransactionHistory(readTextFile(file, "history file"), file);
  const result = checkTransactions(history, { level, limits });
  const levelName = LEVEL_NAMES[level];
  const { transactions, edges } = result.statistics;
  if (args.json) io.out(JSON.stringify({ file, property: "serializable", ...result }, null, 2));
  else if (result.verdict === "holds") io.out(`${file}: ${io.color.green(`${levelName} holds`)} (${transactions} transactions, ${edges} dependency edges)`);
  else if (result.verdict === "unknown") io.out(`${file}: ${io.color.yellow("unknown")}: ${result.reason}; raise --${optionOf(result.budget)}`);
  else {
    io.out(`${file}: ${io.color.red.bold(`NOT ${levelName}`)} (${transactions} transactions, ${edges} dependency edges):`);
    for (const anomaly of result.anomalies) io.out(`  ${anomaly.summary}`);
    if (result.incomplete !== undefined) io.out(`  (the search stopped early: ${result.incomplete})`);
  }
  return result.verdict === "holds" ? EXIT_HOLDS : result.verdict === "violated" ? EXIT_DIVERGES : EXIT_UNKNOWN;
}

function limit(name: keyof TransactionCheckLimits, option: string, text: string | undefined): Partial<TransactionCheckLimits> {
  return text === undefined ? {} : { [name]: parsePositiveInteger(option, text) };
}

function optionOf(budget: keyof TransactionCheckLimits): string {
  return budget === "transactionsMax" ? "transactions-max" : budget === "edgesMax" ? "edges-max" : "search-steps-max";
}
