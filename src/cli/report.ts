// `dsim report merge DIR...`: combines the summaries of a sweep's shards (each run with
// --shard i/n --out DIR) into the summary the unsharded sweep gives, with the same exit code.

import { join } from "node:path";
import { writeFileAtomic } from "../report/atomicWrite.ts";
import { junitXml } from "../report/junit.ts";
import { mergeShards } from "../report/merge.ts";
import type { Io } from "./io.ts";
import { exitCodeOf } from "./sweep.ts";

export interface MergeOptions {
  readonly directories: readonly string[];
  readonly out: string;
  readonly json: boolean;
  readonly junit: string | undefined;
}

export function mergeCommand(options: MergeOptions, io: Io): number {
  const { document, entries, expectMode } = mergeShards(options.directories, options.out);
  const summaryFile = join(options.out, "summary.json");
  writeFileAtomic(summaryFile, `${JSON.stringify(document, null, 2)}\n`);
  if (options.junit !== undefined) writeFileAtomic(options.junit, junitXml(entries, expectMode));
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
