// `dsim replay FILE`: re-executes a replay file and checks that the same execution happened (same
// physical and logical hashes, same verdict), or says what changed. A file with a schedule (a
// shrunk execution, an explored schedule) is replayed from it instead of from the seed's draws.

import { readReplayFile } from "../../execution/replayFile.ts";
import { executeReplay, replayChanges } from "../../execution/replay.ts";
import { pagePath } from "../../report/html/pages.ts";
import { defineCommand } from "../command.ts";
import { EXIT_DIVERGES, EXIT_HOLDS } from "../exitCodes.ts";
import { JSON_OPTION, parseSizes, TRACE_OPTION } from "../options.ts";
import { loadScenario } from "../registry.ts";
import { replayPageInput } from "../replayPage.ts";
import { reportersFor, textReporter } from "../reporters/index.ts";

export const replayCommand = defineCommand({
  command: "replay <file>",
  describe: "Re-execute a replay file and check it reproduces the same hashes",
  builder: (yargs) =>
    yargs
      .positional("file", { type: "string", describe: "a replay file written by run, sweep, shrink or explore", demandOption: true })
      .option("size", { type: "string", array: true, describe: "run at another size than recorded, name=value (the hashes then differ)" })
      .option("json", JSON_OPTION)
      .option("trace", TRACE_OPTION)
      .option("html", { type: "boolean", default: false, describe: "also write the execution's page (space-time diagram) beside the file, as FILE.html" })
      .example("dsim replay reports/delivery/sum/seed-3.replay.json --trace", "the failure again, event by event")
      .example("dsim replay reports/delivery/sum/seed-3.replay.json --html", "writes seed-3.html: open it in a browser"),
  async run(args, io) {
    const file = args.file;
    const replayFile = readReplayFile(file);
    const { scenario } = await loadScenario(replayFile.scenario);
    const sizes = parseSizes(args.size);
    const replayed = executeReplay(scenario, replayFile, Object.keys(sizes).length === 0 ? undefined : sizes);
    const changes = replayChanges(replayFile, replayed);
    const { result, reference } = replayed;
    const replay = `dsim replay ${file}`;
    const page = args.html ? { path: pagePath(file), input: replayPageInput(replayFile, replayed, replay) } : undefined;
    const names = args.html ? (["html", textReporter(args.json)] as const) : ([textReporter(args.json)] as const);
    reportersFor(names, { io }).execution({ result, faults: replayFile.faults.name, replay, replayFile: file, trace: args.trace, check: { replayFile, changes }, ...(page === undefined ? {} : { page }) });
    return changes.length > 0 || result.verdict === "diverges" ? EXIT_DIVERGES : EXIT_HOLDS;
  },
});
