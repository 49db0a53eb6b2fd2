// `dsim replay FILE`: re-executes a replay file and checks that the same execution happened
// (same physical and logical hashes, same verdict), or says what changed. A file with recorded
// decisions (a shrunk execution) is replayed from them instead of from the seed's draws.

import { executeReplay } from "../explore/replay.ts";
import { loadScenario } from "../explore/scenarios.ts";
import { writeFailurePage } from "../report/html/pages.ts";
import { readReplayFile } from "../report/replayFile.ts";
import { DSIM_VERSION } from "../version.ts";
import type { Io } from "./io.ts";
import { executionJson, printExecution } from "./run.ts";
import { describeEvent } from "../trace/text.ts";

export interface ReplayOptions {
  readonly file: string;
  readonly json: boolean;
  readonly trace: boolean;
  /** Also write the execution's failure page beside the file. */
  readonly html?: boolean;
}

export async function replayCommand(options: ReplayOptions, io: Io): Promise<number> {
  const replay = readReplayFile(options.file);
  const scenario = await loadScenario(replay.scenario);
  const { result, mismatch } = executeReplay(scenario, replay, options.file);
  const changes: string[] = [];
  if (mismatch !== undefined) changes.push(`the recorded choices no longer fit the execution: ${mismatch}`);
  const expected = replay.expected;
  if (result.physicalHash !== expected.physicalHash) changes.push(`physical hash ${expected.physicalHash} → ${result.physicalHash} (the schedule changed)`);
  if (result.logicalHash !== expected.logicalHash) changes.push(`logical hash ${expected.logicalHash} → ${result.logicalHash} (the meaning changed)`);
  if (result.verdict !== expected.verdict) changes.push(`verdict ${expected.verdict} → ${result.verdict}`);
  if (changes.length > 0 && replay.dsimVersion !== DSIM_VERSION) changes.push(`recorded with dsim ${replay.dsimVersion}, replayed with ${DSIM_VERSION}`);
  const matches = changes.length === 0;
  const page = options.html === true ? await writeFailurePage(options.file) : undefined;
  if (options.json) {
    io.out(JSON.stringify({
      ...executionJson(result, replay.faults.name),
      replayFile: options.file,
      replay: `dsim replay ${options.file}`,
      matches,
      changes,
      ...(page === undefined ? {} : { page }),
      expected,
      recordedWith: replay.dsimVersion,
      ...(options.trace ? { trace: result.trace } : {}),
    }, null, 2));
  } else {
    if (options.trace) for (const event of result.trace) io.out(describeEvent(event));
    printExecution(io, result, replay.faults.name);
    if (matches) io.out(io.color.green(`  reproduced: same physical and logical hashes as recorded`));
    for (const change of changes) io.out(io.color.yellow(`  changed: ${change}`));
    if (page !== undefined) io.out(`  page: ${page}`);
  }
  return !matches || result.verdict === "diverges" ? 1 : 0;
}
