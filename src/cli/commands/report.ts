// `dsim report merge DIR...`: combines the summaries of a sweep's shards (each run with
// --shard i/n --out DIR) into the summary the unsharded sweep gives, with the same exit code, and
// writes the same reports: summary.json, the failure pages, index.html, JUnit XML (--junit).

import { readReplayFile } from "../../execution/replayFile.ts";
import { executeReplay } from "../../execution/replay.ts";
import { mergeShards } from "../../report/merge.ts";
import type { SweepEntry } from "../../report/summary.ts";
import { defineCommand, type CommandGroup } from "../command.ts";
import { sweepExitCode } from "../exitCodes.ts";
import { JSON_OPTION, OUT_OPTION } from "../options.ts";
import { loadScenario } from "../registry.ts";
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
      .epilogue("Reports, per variant, the seeds that broke each invariant and the first that did. Writes under --out: summary.json, index.html (open it in a browser), a replay file for the first seed that broke each invariant, and for each variant's first divergence its shrunk replay file and failure page (.html).")
      .example("dsim report merge reports/shard-0 reports/shard-1 --out reports", "two machines' halves as one sweep"),
  async run(args, io) {
    const directories = args.dirs as string[];
    const { document, entries, expectMode } = mergeShards(directories, args.out);
    const reporter = reportersFor([textReporter(args.json), "summary-files", "html", "junit"], { io, ...(args.junit === undefined ? {} : { junitFile: args.junit }) });
    for (const entry of entries) reporter.variant({ entry, page: await pageOf(entry) });
    reporter.sweepEnd({ document, entries, lines: null, expectMode, out: args.out, mergedShards: directories.length });
    return sweepExitCode(entries, expectMode);
  },
});

export const reportCommand: CommandGroup = {
  command: "report",
  describe: "Work with sweep reports: merge shards",
  subcommands: [mergeCommand],
  missing: "name a report action: merge",
};

/** The merged first divergence's page, from its replay file executed again (pages only render). */
async function pageOf(entry: SweepEntry): Promise<VariantDone["page"]> {
  const first = entry.firstDivergence;
  if (first === null || first.page === null) return null;
  const replayFile = first.shrunk?.shrunkFile ?? first.replayFile;
  const replay = readReplayFile(replayFile);
  const replayed = executeReplay((await loadScenario(replay.scenario)).scenario, replay);
  return { replayFile, input: replayPageInput(replay, replayed, `dsim replay ${replayFile}`) };
}
