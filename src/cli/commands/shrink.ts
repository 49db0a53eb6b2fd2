// `dsim shrink FILE`: shrinks the diverging execution of a replay file to the fewest faults (then
// events) that still break one invariant (the first it broke, or --invariant NAME), writes it
// beside the original as `<name>.shrunk.replay.json` (with its schedule and sizes), and lists the
// faults that remain. The shrink runs on a worker under the watchdog: if one of its executions
// hangs, it says so (exit 1).

import { rmSync } from "node:fs";
import { UsageError } from "../../core/errors.ts";
import { checkWritableFile, temporaryPathOf } from "../../core/files.ts";
import { isLostVerdict } from "../../execution/lost.ts";
import { readReplayFile, shrunkReplayPath } from "../../execution/replayFile.ts";
import { SHRINK_EVENTS_TOTAL_MAX, SHRINK_EXECUTIONS_MAX } from "../../explore/shrink/shrink.ts";
import { shrinkOnPool } from "../../explore/workers/onPool.ts";
import { withWorkerPool } from "../../explore/workers/pool.ts";
import { defineCommand } from "../command.ts";
import { EXIT_DIVERGES } from "../exitCodes.ts";
import { onInterrupt } from "../interrupt.ts";
import { JSON_OPTION, parsePositiveInteger, TRACE_OPTION, WATCHDOG_OPTIONS, watchdogOf } from "../options.ts";
import { loadScenario } from "../registry.ts";
import { reportersFor, textReporter } from "../reporters/index.ts";

export const shrinkCommand = defineCommand({
  command: "shrink <file>",
  describe: "Shrink a replay file's divergence to the fewest faults, then events, that still break one invariant",
  builder: (yargs) =>
    yargs
      .positional("file", { type: "string", describe: "a replay file of a diverging execution", demandOption: true })
      .option("invariant", { type: "string", describe: "the invariant to keep broken (default: the first the execution broke)" })
      .option("executions-max", { type: "string", describe: `executions the shrink may spend (default ${SHRINK_EXECUTIONS_MAX})` })
      .option("events-total-max", { type: "string", describe: `events the shrink may execute, all its executions together (default ${SHRINK_EVENTS_TOTAL_MAX})` })
      .options(WATCHDOG_OPTIONS)
      .option("json", JSON_OPTION)
      .option("trace", { ...TRACE_OPTION, describe: "print the shrunk physical trace" })
      .example("dsim shrink reports/delivery/sum/seed-0.replay.json", "writes seed-0.shrunk.replay.json beside it")
      .example("dsim shrink reports/consensus/no-dedup/seed-13.replay.json --invariant linearizability", "keep linearizability broken, whatever else holds"),
  async run(args, io) {
    const replay = readReplayFile(args.file);
    const { module, scenario } = await loadScenario(replay.scenario);
    if (isLostVerdict(replay.expected.verdict)) {
      throw new UsageError(`replay file '${args.file}' records an execution that did not finish (${replay.expected.verdict}): there is nothing to shrink; dsim replay runs it again`);
    }
    const options = {
      ...(args.executionsMax === undefined ? {} : { executionsMax: parsePositiveInteger("executions-max", args.executionsMax) }),
      ...(args.eventsTotalMax === undefined ? {} : { eventsTotalMax: parsePositiveInteger("events-total-max", args.eventsTotalMax) }),
      ...(args.invariant === undefined ? {} : { invariant: args.invariant }),
    };
    checkWritableFile(shrunkReplayPath(args.file), `the shrunk replay file '${shrunkReplayPath(args.file)}'`);
    const watchdog = watchdogOf(args, 1, replay.watchdog);
    // The worker writes the shrunk file: an interruption must not leave its temporary file.
    const forgetInterrupt = onInterrupt(() => rmSync(temporaryPathOf(shrunkReplayPath(args.file)), { force: true }));
    const outcome = await withWorkerPool(1, watchdog, (pool) => shrinkOnPool(pool, module, replay, args.file, options)).finally(forgetInterrupt);
    const reporter = reportersFor([textReporter(args.json)], { io });
    if (outcome.kind === "lost") {
      reporter.lost({ what: `shrink of ${args.file}`, scenario: scenario.name, variant: replay.variant, seed: replay.seed, faults: null, lost: outcome.lost, replay: null, replayFile: args.file });
      return EXIT_DIVERGES;
    }
    reporter.shrink({ ...outcome, trace: args.trace });
    return EXIT_DIVERGES;
  },
});
