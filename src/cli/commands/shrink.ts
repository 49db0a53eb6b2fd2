// `dsim shrink FILE`: shrinks the diverging execution of a replay file to the fewest faults (then
// events) that still break the same invariants, writes it beside the original as
// `<name>.shrunk.replay.json` (with its schedule), and shows the faults that remain. The shrink
// runs on a worker under the watchdog: if one of its executions hangs, it says so (exit 1).

import { rmSync } from "node:fs";
import { UsageError } from "../../core/errors.ts";
import { checkWritableFile, temporaryPathOf } from "../../core/files.ts";
import { isLostVerdict } from "../../execution/lost.ts";
import { readReplayFile, shrunkReplayPath } from "../../execution/replayFile.ts";
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
  describe: "Shrink a replay file's divergence to the fewest faults, then events, that still break the same invariants",
  builder: (yargs) =>
    yargs
      .positional("file", { type: "string", describe: "a replay file of a diverging execution", demandOption: true })
      .option("executions-max", { type: "string", describe: "executions the shrink may spend (default 2000)" })
      .options(WATCHDOG_OPTIONS)
      .option("json", JSON_OPTION)
      .option("trace", { ...TRACE_OPTION, describe: "print the shrunk physical trace" })
      .example("dsim shrink reports/delivery/sum/seed-0.replay.json", "writes seed-0.shrunk.replay.json beside it"),
  async run(args, io) {
    const replay = readReplayFile(args.file);
    const { module, scenario } = await loadScenario(replay.scenario);
    if (isLostVerdict(replay.expected.verdict)) {
      throw new UsageError(`replay file '${args.file}' records an execution that did not finish (${replay.expected.verdict}): there is nothing to shrink; dsim replay runs it again`);
    }
    const executionsMax = args.executionsMax === undefined ? undefined : parsePositiveInteger("executions-max", args.executionsMax);
    checkWritableFile(shrunkReplayPath(args.file), `the shrunk replay file '${shrunkReplayPath(args.file)}'`);
    const watchdog = watchdogOf(args, 1, replay.watchdog);
    // The worker writes the shrunk file: an interruption must not leave its temporary file.
    const forgetInterrupt = onInterrupt(() => rmSync(temporaryPathOf(shrunkReplayPath(args.file)), { force: true }));
    const outcome = await withWorkerPool(1, watchdog, (pool) => shrinkOnPool(pool, module, replay, args.file, executionsMax)).finally(forgetInterrupt);
    const reporter = reportersFor([textReporter(args.json)], { io });
    if (outcome.kind === "lost") {
      reporter.lost({ what: `shrink of ${args.file}`, scenario: scenario.name, variant: replay.variant, seed: replay.seed, faults: null, lost: outcome.lost, replay: null, replayFile: args.file });
      return EXIT_DIVERGES;
    }
    reporter.shrink({ report: outcome.report, shrunk: outcome.shrunk, trace: args.trace });
    return EXIT_DIVERGES;
  },
});
