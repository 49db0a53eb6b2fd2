// `dsim shrink FILE`: shrinks the diverging execution of a replay file to the fewest faults (then
// events) that still break the same invariants, writes it beside the original as
// `<name>.shrunk.replay.json` (with its schedule), and shows the faults that remain.

import { readReplayFile } from "../../execution/replayFile.ts";
import { shrinkReplayFile } from "../../explore/shrink.ts";
import { defineCommand } from "../command.ts";
import { EXIT_DIVERGES } from "../exitCodes.ts";
import { JSON_OPTION, parsePositiveInteger, TRACE_OPTION } from "../options.ts";
import { loadScenario } from "../registry.ts";
import { reportersFor, textReporter } from "../reporters/index.ts";

export const shrinkCommand = defineCommand({
  command: "shrink <file>",
  describe: "Shrink a replay file's divergence to the fewest faults, then events, that still break the same invariants",
  builder: (yargs) =>
    yargs
      .positional("file", { type: "string", describe: "a replay file of a diverging execution", demandOption: true })
      .option("executions-max", { type: "string", describe: "executions the shrink may spend (default 2000)" })
      .option("json", JSON_OPTION)
      .option("trace", { ...TRACE_OPTION, describe: "print the shrunk physical trace" })
      .example("dsim shrink reports/delivery/sum/seed-0.replay.json", "writes seed-0.shrunk.replay.json beside it"),
  async run(args, io) {
    const replay = readReplayFile(args.file);
    const { scenario } = await loadScenario(replay.scenario);
    const executionsMax = args.executionsMax === undefined ? undefined : parsePositiveInteger("executions-max", args.executionsMax);
    const { report, result } = shrinkReplayFile(scenario, replay, args.file, executionsMax);
    reportersFor([textReporter(args.json)], { io }).shrink({ report, result, trace: args.trace });
    return EXIT_DIVERGES;
  },
});
