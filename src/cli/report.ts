// `dsim report merge DIR...`: combines the summaries of a sweep's shards (each run with
// --shard i/n --out DIR) into the summary the unsharded sweep gives, with the same exit code, and
// writes the same reports: summary.json, the failure pages, index.html, JUnit XML (--junit).

import { join } from "node:path";
import { writeFailurePage } from "../report/html/pages.ts";
import { mergeShards } from "../report/merge.ts";
import type { Io } from "./io.ts";
import { exitCodeOf, writeSweepReports } from "./sweep.ts";

export interface MergeOptions {
  readonly directories: readonly string[];
  readonly out: string;
  readonly json: boolean;
  readonly junit: string | undefined;
}

export async function mergeCommand(options: MergeOptions, io: Io): Promise<number> {
  const { document, entries, expectMode } = mergeShards(options.directories, options.out);
  for (const entry of entries) {
    const first = entry.firstDivergence;
    if (first?.page) await writeFailurePage(first.shrunk?.shrunkFile ?? first.replayFile);
  }
  writeSweepReports({ out: options.out, junit: options.junit, expect: expectMode, shard: undefined }, document, entries, []);
  const summaryFile = join(options.out, "summary.json");
  if (options.json) io.out(JSON.stringify(document, null, 2));
  else {
    for (const entry of entries) {
      const first = entry.firstDivergence === null ? "" : `  first at seed ${entry.firstDivergence.seed}`;
      const mark = entry.expectationMet ? io.color.green("✓") : io.color.red(`✗ declared ${entry.expect}`);
      io.out(`${`${entry.scenario}/${entry.variant}`.padEnd(28)} ${entry.verdict.padEnd(8)} ${mark}  ${entry.seeds.count} seeds  ${entry.physicalTraces} physical  ${entry.logicalTraces} logical  ${entry.divergences} divergences${first}`);
    }
    io.out(io.color.dim(`merged ${options.directories.length} shards into ${summaryFile}`));
  }
  return exitCodeOf(entries, expectMode);
}
