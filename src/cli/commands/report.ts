// `dsim report merge DIR...`: combines the summaries of a sweep's shards (each run with
// --shard i/n --out DIR) into the summary the unsharded sweep gives, with the same exit code, and
// writes the same reports: summary.json, the failure pages, index.html, JUnit XML (--junit).

import { checkWritableFile } from "../../core/files.ts";
import { readReplayFile } from "../../execution/replayFile.ts";
import { executeOnPool, replayJob } from "../../explore/workers/onPool.ts";
import { withWorkerPool, type WorkerPool } from "../../explore/workers/pool.ts";
import { mergeShards } from "../../report/merge.ts";
import { OutFolder, removeOwnTemporaryFiles } from "../../report/outFolder.ts";
import type { SweepEntry } from "../../report/summary.ts";
import { defineCommand, type CommandGroup } from "../command.ts";
import { sweepExitCode } from "../exitCodes.ts";
import { onInterrupt } from "../interrupt.ts";
import { JSON_OPTION, OUT_OPTION, WATCHDOG_OPTIONS, watchdogOf } from "../options.ts";
import { scenarioModuleOf } from "../registry.ts";
import { replayPageInput } from "../replayPage.ts";
import { reportersFor, textReporter, type VariantDone } from "../reporters/index.ts";

export const mergeCommand = defineCommand({
  command: "merge <dirs..>",
  describe: "Combine the output folders of a sharded sweep (--shard i/n) into one summary, as if unsharded",
  builder: (yargs) =>
    yargs
      .positional("dirs", { type: "string", array: true, demandOption: true, describe: "each shard's --out folder" })
      .option("out", { ...OUT_OPTION, describe: "folder for the merged summary.json, replay files and pages" })
      .option("json", JSON_OPTION)
      .option("junit", { type: "string", describe: "also write JUnit XML to this file" })
      .options(WATCHDOG_OPTIONS)
      .epilogue("Reports, per variant, the seeds that broke each invariant and the first that did. Writes under --out: summary.json, index.html (open it in a browser), a replay file for the first seed that broke each invariant, and for each variant's first divergence its shrunk replay file and failure page (.html).")
      .example("dsim report merge reports/shard-0 reports/shard-1 --out reports", "two machines' halves as one sweep"),
  async run(args, io) {
    const directories = args.dirs as string[];
    if (args.junit !== undefined) checkWritableFile(args.junit, `--junit '${args.junit}'`);
    let folder: OutFolder | undefined;
    const forgetInterrupt = onInterrupt(() => {
      removeOwnTemporaryFiles(args.out);
      folder?.release();
    });
    try {
      // Every shard is read and checked first; only then is --out claimed and written.
      const { document, entries, expectMode } = mergeShards(directories, args.out, () => {
        folder = OutFolder.claim(args.out, "dsim report merge");
        folder.writeSummary({ mergedShards: directories }, false);
      });
      const reporter = reportersFor([textReporter(args.json), "html", "junit", "summary-files"], { io, ...(args.junit === undefined ? {} : { junitFile: args.junit }) });
      const pages = entries.some((entry) => entry.firstDivergence !== null && entry.firstDivergence.page !== null)
        ? await withWorkerPool(1, watchdogOf(args, 1), (pool) => Promise.all(entries.map((entry) => pageOf(pool, entry))))
        : entries.map(() => null);
      entries.forEach((entry, index) => reporter.variant({ entry, page: pages[index]! }));
      reporter.sweepEnd({ document, entries, lines: null, expectMode, out: args.out, mergedShards: directories.length });
      return sweepExitCode(entries, expectMode);
    } finally {
      forgetInterrupt();
      folder?.release();
    }
  },
});

export const reportCommand: CommandGroup = {
  command: "report",
  describe: "Work with sweep reports: merge shards",
  subcommands: [mergeCommand],
  missing: "name a report action: merge",
};

/** The merged first divergence's page, from its replay file executed again on a worker (pages only render). */
async function pageOf(pool: WorkerPool, entry: SweepEntry): Promise<VariantDone["page"]> {
  const first = entry.firstDivergence;
  if (first === null || first.page === null) return null;
  const replayFile = first.shrunk?.shrunkFile ?? first.replayFile;
  const replay = readReplayFile(replayFile);
  const outcome = await executeOnPool(pool, replayJob(replay, scenarioModuleOf(replay.scenario)), replay.seed, replay.schedule);
  if (outcome.kind === "lost") return null;
  return { replayFile, input: replayPageInput(replay, outcome, `dsim replay ${replayFile}`) };
}
