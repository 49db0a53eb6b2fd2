// `dsim shrink FILE`: shrinks the diverging execution of a replay file to the fewest faults (then
// events) that still break one invariant (the first it broke, or --invariant NAME), writes it
// beside the original as `<name>.shrunk.replay.json` (with its schedule and sizes), and lists the
// faults that remain.

import { readReplayFile } from "../../execution/replayFile.ts";
import { SHRINK_EVENTS_TOTAL_MAX, SHRINK_EXECUTIONS_MAX } from "../../explore/shrink/shrink.ts";
import { shrinkReplayFile } from "../../explore/shrink/report.ts";
import { defineCommand } from "../command.ts";
import { EXIT_DIVERGES } from "../exitCodes.ts";
import { JSON_OPTION, parsePositiveInteger, TRACE_OPTION } from "../options.ts";
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
      .option("json", JSON_OPTION)
      .option("trace", { ...TRACE_OPTION, describe: "print the shrunk physical trace" })
      .example("dsim shrink reports/delivery/sum/seed-0.replay.json", "writes seed-0.shrunk.replay.json beside it")
      .example("dsim shrink reports/consensus/no-dedup/seed-13.replay.json --invariant linearizability", "keep linearizability broken, whatever else holds"),
  async run(args, io) {
    const replay = readReplayFile(args.file);
    const { scenario } = await loadScenario(replay.scenario);
    const shrunk = shrinkReplayFile(scenario, replay, args.file, {
      ...(args.executionsMax === undefined ? {} : { executionsMax: parsePositiveInteger("executions-max", args.executionsMax) }),
      ...(args.eventsTotalMax === undefined ? {} : { eventsTotalMax: parsePositiveInteger("events-total-max", args.eventsTotalMax) }),
      ...(args.invariant === undefined ? {} : { invariant: args.invariant }),
    });
    reportersFor([textReporter(args.json)], { io }).shrink({ ...shrunk, trace: args.trace });
    return EXIT_DIVERGES;
  },
});
