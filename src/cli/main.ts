// The dsim command line: parsing (yargs) in one place, the work in the command modules.
// Exit codes: 0 nothing diverged, 1 a divergence (or an unmet expectation), 2 bad input,
// 3 a bug in dsim itself.

import yargs, { type Argv } from "yargs";
import { DsimBug } from "../kernel/assert.ts";
import { UsageError } from "../errors.ts";
import { DSIM_VERSION } from "../version.ts";
import { processIo, type Io } from "./io.ts";
import { checkCommand } from "./check.ts";
import { checkTransactionsCommand, TRANSACTION_CHECK_OPTIONS } from "./checkTransactions.ts";
import { exploreCommand } from "./explore.ts";
import { listCommand } from "./list.ts";
import { parseNonNegativeInteger, parsePositiveInteger, parseShard } from "./options.ts";
import { replayCommand } from "./replay.ts";
import { mergeCommand } from "./report.ts";
import { runCommand } from "./run.ts";
import { shrinkCommand } from "./shrink.ts";
import { sweepCommand } from "./sweep.ts";

export const EXIT_HOLDS = 0;
export const EXIT_DIVERGES = 1;
export const EXIT_USAGE = 2;
export const EXIT_BUG = 3;

const executionOptions = {
  faults: { type: "string", describe: "fault profile: none, light, heavy, swarm, or a .json file" },
  "workload-seed": { type: "string", default: "0", describe: "seed of the logical input (the workload)" },
  "events-max": { type: "string", describe: "event budget of one execution (default: the scenario's, else 200000)" },
  "time-max-ms": { type: "string", describe: "virtual-time budget of one execution in ms (default: the scenario's, else 120000)" },
  out: { type: "string", default: "reports", describe: "folder for replay files and summaries" },
  json: { type: "boolean", default: false, describe: "print exactly one JSON document on stdout" },
} as const;

function limitsOf(argv: { "events-max"?: string; "time-max-ms"?: string }) {
  return {
    ...(argv["events-max"] === undefined ? {} : { eventsMax: parsePositiveInteger("events-max", argv["events-max"]) }),
    ...(argv["time-max-ms"] === undefined ? {} : { virtualTimeMaxMs: parsePositiveInteger("time-max-ms", argv["time-max-ms"]) }),
  };
}

function build(argv: readonly string[], io: Io, setExit: (code: number) => void): Argv {
  return yargs([...argv])
    .scriptName("dsim")
    .usage("dsim: a deterministic distributed-systems simulator.\nMany physical executions, one logical trace.")
    .version(DSIM_VERSION)
    .exitProcess(false)
    .strict()
    .demandCommand(1, "name a command: list, run, sweep, replay, explore, shrink, check or report")
    .recommendCommands()
    .fail((message, error) => {
      throw error ?? new UsageError(message ?? "bad usage");
    })
    .command(
      "list",
      "List the built-in scenarios and their variants",
      (command) => command.option("json", executionOptions.json).example("dsim list --json", "scenarios, variants and what each declares"),
      (args) => setExit(listCommand({ json: args.json }, io)),
    )
    .command(
      "run <scenario>",
      "Run one execution and check it against the reference",
      (command) =>
        command
          .positional("scenario", { type: "string", describe: "a built-in scenario's name or a scenario file's path", demandOption: true })
          .option("variant", { type: "string", describe: "the variant (default: the scenario's first)" })
          .option("seed", { type: "string", demandOption: true, describe: "the seed: a non-negative integer" })
          .options({ ...executionOptions, faults: { ...executionOptions.faults, default: "swarm" } })
          .option("trace", { type: "boolean", default: false, describe: "print the physical trace" })
          .example("dsim run delivery --variant sum --seed 7", "one execution under swarm faults")
          .example("dsim run ./my-scenario.ts --seed 3 --faults heavy --trace", "a scenario of your own, with its trace"),
      async (args) =>
        setExit(
          await runCommand(
            {
              scenario: args.scenario!,
              variant: args.variant,
              seed: parseNonNegativeInteger("seed", args.seed),
              faults: args.faults,
              workloadSeed: parseNonNegativeInteger("workload-seed", args["workload-seed"]),
              limits: limitsOf(args),
              out: args.out,
              json: args.json,
              trace: args.trace,
            },
            io,
          ),
        ),
    )
    .command(
      "sweep [scenario]",
      "Run a seed range; count distinct physical and logical traces and divergences",
      (command) =>
        command
          .positional("scenario", { type: "string", describe: "a built-in scenario's name or a scenario file's path" })
          .option("all", { type: "boolean", default: false, describe: "every built-in scenario and variant" })
          .option("variant", { type: "string", describe: "one variant (default: every variant)" })
          .option("seeds", { type: "string", default: "1000", describe: "how many seeds" })
          .option("from", { type: "string", default: "0", describe: "the first seed" })
          .options({ ...executionOptions, faults: { ...executionOptions.faults, default: "swarm" } })
          .option("vary-workload", { type: "boolean", default: false, describe: "draw a new logical input per seed" })
          .option("expect", { type: "boolean", default: false, describe: "CI mode: exit 1 only if a variant does not behave as it declares" })
          .option("workers", { type: "string", describe: "worker threads (default: the number of cores; 1 runs in this thread)" })
          .option("shard", { type: "string", describe: "run shard i of n of the seed range (seed s is in shard (s - from) mod n), e.g. 0/4" })
          .option("shrink", { type: "boolean", default: true, describe: "shrink each first divergence (--no-shrink to skip)" })
          .option("check-determinism", { type: "boolean", default: false, describe: "re-execute seeds on another thread and compare physical hashes (every seed with --expect, else 1 in 10)" })
          .option("junit", { type: "string", describe: "also write JUnit XML to this file" })
          .epilogue("Writes under --out: summary.json, index.html (open it in a browser), and for each variant's first divergence its replay file, shrunk replay file and failure page (.html).")
          .example("dsim sweep delivery --variant retry-set --seeds 2000", "one variant over seeds 0..1999")
          .example("dsim sweep --all --expect", "what CI runs: every variant against its declaration")
          .example("dsim sweep --all --expect --shard 1/4 --out reports/shard-1", "one machine's quarter of the seeds; then dsim report merge"),
      async (args) =>
        setExit(
          await sweepCommand(
            {
              scenario: args.scenario,
              all: args.all,
              variant: args.variant,
              seeds: parsePositiveInteger("seeds", args.seeds),
              from: parseNonNegativeInteger("from", args.from),
              faults: args.faults,
              workloadSeed: parseNonNegativeInteger("workload-seed", args["workload-seed"]),
              varyWorkload: args["vary-workload"],
              expect: args.expect,
              limits: limitsOf(args),
              out: args.out,
              json: args.json,
              ...(args.workers === undefined ? {} : { workers: parsePositiveInteger("workers", args.workers) }),
              ...(args.shard === undefined ? {} : { shard: parseShard(args.shard) }),
              shrink: args.shrink,
              checkDeterminism: args["check-determinism"],
              ...(args.junit === undefined ? {} : { junit: args.junit }),
            },
            io,
          ),
        ),
    )
    .command(
      "explore <scenario>",
      "Enumerate every schedule of a small scenario and count its logical outcomes",
      (command) =>
        command
          .positional("scenario", { type: "string", describe: "a built-in scenario's name or a scenario file's path", demandOption: true })
          .option("exhaustive", { type: "boolean", default: false, describe: "every schedule: each drop, duplicate and delivery order" })
          .option("variant", { type: "string", describe: "one variant (default: every variant)" })
          .option("max-depth", { type: "string", default: "1000", describe: "choices per schedule before it is cut" })
          .option("max-states", { type: "string", default: "100000", describe: "distinct states before the search stops" })
          .option("max-executions", { type: "string", default: "100000", describe: "executions before the search stops" })
          .option("messages", { type: "string", describe: "the scenario's size 'messages'" })
          .option("drops-max", { type: "string", describe: "drops per schedule (default: unbounded; 0: no drops)" })
          .option("duplicates", { type: "boolean", default: false, describe: "the network may duplicate each message once" })
          .option("duplicates-max", { type: "string", describe: "duplicates per schedule (implies --duplicates)" })
          .option("workload-seed", executionOptions["workload-seed"])
          .option("out", executionOptions.out)
          .option("json", executionOptions.json)
          .example("dsim explore delivery --exhaustive --variant append", "the 326 schedules of the design brief")
          .example("dsim explore delivery --exhaustive --messages 3 --drops-max 1 --duplicates-max 1", "retries, duplicates, one drop"),
      async (args) =>
        setExit(
          await exploreCommand(
            {
              scenario: args.scenario!,
              exhaustive: args.exhaustive,
              variant: args.variant,
              depthMax: parsePositiveInteger("max-depth", args["max-depth"]),
              statesMax: parsePositiveInteger("max-states", args["max-states"]),
              executionsMax: parsePositiveInteger("max-executions", args["max-executions"]),
              sizes: args.messages === undefined ? {} : { messages: parsePositiveInteger("messages", args.messages) },
              dropsMax: args["drops-max"] === undefined ? undefined : parseNonNegativeInteger("drops-max", args["drops-max"]),
              duplicates: args.duplicates,
              duplicatesMax: args["duplicates-max"] === undefined ? undefined : parseNonNegativeInteger("duplicates-max", args["duplicates-max"]),
              workloadSeed: parseNonNegativeInteger("workload-seed", args["workload-seed"]),
              out: args.out,
              json: args.json,
            },
            io,
          ),
        ),
    )
    .command(
      "replay <file>",
      "Re-execute a replay file and check it reproduces the same hashes",
      (command) =>
        command
          .positional("file", { type: "string", describe: "a replay file written by run or sweep", demandOption: true })
          .option("json", executionOptions.json)
          .option("trace", { type: "boolean", default: false, describe: "print the physical trace" })
          .option("html", { type: "boolean", default: false, describe: "also write the execution's page (space-time diagram) beside the file, as FILE.html" })
          .example("dsim replay reports/delivery/sum/seed-3.replay.json --trace", "the failure again, event by event")
          .example("dsim replay reports/delivery/sum/seed-3.replay.json --html", "writes seed-3.html: open it in a browser"),
      async (args) => setExit(await replayCommand({ file: args.file!, json: args.json, trace: args.trace, html: args.html }, io)),
    )
    .command(
      "check <property> <file>",
      "Check a recorded history (JSON) for a property: linearizable, serializable",
      (command) =>
        command
          .positional("property", { type: "string", choices: ["linearizable", "serializable"], demandOption: true })
          .positional("file", { type: "string", describe: "a history file (docs/checkers/linearizability.md)", demandOption: true })
          .option("model", { type: "string", default: "kv", describe: "the sequential model: kv" })
          .option("steps-max", { type: "string", describe: "search steps per key before the answer is 'unknown'" })
          .option("json", executionOptions.json)
          .options(TRANSACTION_CHECK_OPTIONS)
          .example("dsim check linearizable history.json --model kv", "exit 0 linearizable, 1 not")
          .example("dsim check serializable history.jsonl --level snapshot", "exit 0 the level holds, 1 an anomaly and its cycle (docs/checkers/serializability.md)"),
      (args) =>
        setExit(
          args.property === "serializable" ? checkTransactionsCommand(args, io) : checkCommand(
            {
              property: args.property!,
              file: args.file!,
              model: args.model,
              stepsMax: args["steps-max"] === undefined ? undefined : parsePositiveInteger("steps-max", args["steps-max"]),
              json: args.json,
            },
            io,
          ),
        ),
    )
    .command(
      "shrink <file>",
      "Shrink a replay file's divergence to the fewest faults, then events, that still break the same invariants",
      (command) =>
        command
          .positional("file", { type: "string", describe: "a replay file of a diverging execution", demandOption: true })
          .option("executions-max", { type: "string", describe: "executions the shrink may spend (default 2000)" })
          .option("json", executionOptions.json)
          .option("trace", { type: "boolean", default: false, describe: "print the shrunk physical trace" })
          .example("dsim shrink reports/delivery/sum/seed-0.replay.json", "writes seed-0.shrunk.replay.json beside it"),
      async (args) =>
        setExit(
          await shrinkCommand(
            {
              file: args.file!,
              executionsMax: args["executions-max"] === undefined ? undefined : parsePositiveInteger("executions-max", args["executions-max"]),
              json: args.json,
              trace: args.trace,
            },
            io,
          ),
        ),
    )
    .command("report", "Work with sweep reports: merge shards", (command) =>
      command
        .command(
          "merge <dirs..>",
          "Combine the output folders of a sharded sweep (--shard i/n) into one summary, as if unsharded",
          (merge) =>
            merge
              .positional("dirs", { type: "string", array: true, demandOption: true, describe: "each shard's --out folder" })
              .option("out", { ...executionOptions.out, describe: "folder for the merged summary.json and replay files" })
              .option("json", executionOptions.json)
              .option("junit", { type: "string", describe: "also write JUnit XML to this file" })
          .epilogue("Writes under --out: summary.json, index.html (open it in a browser), and for each variant's first divergence its replay file, shrunk replay file and failure page (.html).")
              .example("dsim report merge reports/shard-0 reports/shard-1 --out reports", "two machines' halves as one sweep"),
          async (args) => setExit(await mergeCommand({ directories: args.dirs as string[], out: args.out, json: args.json, junit: args.junit }, io)),
        )
        .demandCommand(1, "name a report action: merge"),
    )
    .help()
    .wrap(Math.min(110, process.stdout.columns ?? 110));
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exitCode = EXIT_HOLDS;
  try {
    await build(argv, io, (code) => (exitCode = code)).parseAsync();
    return exitCode;
  } catch (error) {
    if (error instanceof UsageError) {
      io.error(`dsim: ${error.message.split("\n")[0]}`);
      return EXIT_USAGE;
    }
    if (error instanceof DsimBug) {
      io.error(`dsim: internal error (a bug in dsim, please report it): ${error.message}`);
      return EXIT_BUG;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.error(`dsim: internal error (a bug in dsim, please report it): ${message.split("\n")[0]}`);
    return EXIT_BUG;
  }
}
