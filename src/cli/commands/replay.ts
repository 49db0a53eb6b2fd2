// `dsim replay FILE`: re-executes a replay file and checks that the same execution happened (same
// physical and logical hashes, same verdict), or says what changed. A file with a schedule (a
// shrunk execution, an explored schedule) is replayed from it instead of from the seed's draws.
// The execution runs on a worker under the watchdog, with the limits the file records when it
// records an execution that did not finish: a hung seed replays as hung, and says so.

import { checkWritableFile } from "../../core/files.ts";
import { isLostVerdict } from "../../execution/lost.ts";
import { readReplayFile } from "../../execution/replayFile.ts";
import { replayChanges } from "../../execution/replay.ts";
import { executeOnPool, replayJob } from "../../explore/workers/onPool.ts";
import { withWorkerPool } from "../../explore/workers/pool.ts";
import { pagePath } from "../../report/html/pages.ts";
import { defineCommand } from "../command.ts";
import { EXIT_DIVERGES, EXIT_HOLDS } from "../exitCodes.ts";
import { JSON_OPTION, parseSizes, TRACE_OPTION, WATCHDOG_OPTIONS, watchdogOf } from "../options.ts";
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
      .options(WATCHDOG_OPTIONS)
      .option("json", JSON_OPTION)
      .option("trace", TRACE_OPTION)
      .option("html", { type: "boolean", default: false, describe: "also write the execution's page (space-time diagram) beside the file, as FILE.html" })
      .example("dsim replay reports/delivery/sum/seed-3.replay.json --trace", "the failure again, event by event")
      .example("dsim replay reports/delivery/sum/seed-3.replay.json --html", "writes seed-3.html: open it in a browser")
      .example("dsim replay reports/my/variant/seed-9.replay.json", "a seed recorded as hung: hangs again under the recorded time limit, and says so"),
  async run(args, io) {
    const file = args.file;
    const replayFile = readReplayFile(file);
    const { module, scenario } = await loadScenario(replayFile.scenario);
    const sizes = parseSizes(args.size);
    const watchdog = watchdogOf(args, 1, replayFile.watchdog);
    if (args.html) checkWritableFile(pagePath(file), `the page '${pagePath(file)}' (--html)`);
    const replay = `dsim replay ${file}`;
    const job = replayJob(replayFile, module, Object.keys(sizes).length === 0 ? undefined : sizes);
    const outcome = await withWorkerPool(1, watchdog, (pool) => executeOnPool(pool, job, replayFile.seed, replayFile.schedule));
    const expected = replayFile.expected.verdict;
    if (outcome.kind === "lost") {
      const changes = expected === outcome.lost.verdict ? [] : [`verdict ${expected} → ${outcome.lost.verdict}`];
      const { variant, seed } = replayFile;
      reportersFor([textReporter(args.json)], { io }).lost({ what: `${scenario.name}/${variant} seed ${seed}`, scenario: scenario.name, variant, seed, faults: replayFile.faults.name, lost: outcome.lost, replay, replayFile: file, check: { expected, changes } });
      return EXIT_DIVERGES;
    }
    const replayed = outcome;
    const { result } = replayed;
    const changes = isLostVerdict(expected) ? [`verdict ${expected} → ${result.verdict}: the execution finishes now`] : replayChanges(replayFile, replayed);
    const page = args.html ? { path: pagePath(file), input: replayPageInput(replayFile, replayed, replay) } : undefined;
    const names = args.html ? (["html", textReporter(args.json)] as const) : ([textReporter(args.json)] as const);
    reportersFor(names, { io }).execution({ result, faults: replayFile.faults.name, replay, replayFile: file, trace: args.trace, check: { replayFile, changes }, ...(page === undefined ? {} : { page }) });
    return changes.length > 0 || result.verdict === "diverges" ? EXIT_DIVERGES : EXIT_HOLDS;
  },
});
