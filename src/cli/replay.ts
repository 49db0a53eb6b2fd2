// `dsim replay FILE`: re-executes a replay file and checks that the same execution happened
// (same physical and logical hashes, same verdict), or says what changed. A file with recorded
// decisions (a shrunk execution) is replayed from them instead of from the seed's draws.

import { execute } from "../explore/execute.ts";
import { ExploringChooser } from "../explore/exploringChooser.ts";
import { loadScenario } from "../explore/scenarios.ts";
import { ReplayChooser } from "../kernel/chooser.ts";
import { decodeDecisions, readReplayFile } from "../report/replayFile.ts";
import { DSIM_VERSION } from "../version.ts";
import type { Io } from "./io.ts";
import { executionJson, printExecution } from "./run.ts";
import { describeEvent } from "./traceText.ts";

export interface ReplayOptions {
  readonly file: string;
  readonly json: boolean;
  readonly trace: boolean;
}

export async function replayCommand(options: ReplayOptions, io: Io): Promise<number> {
  const replay = readReplayFile(options.file);
  const scenario = await loadScenario(replay.scenario);
  // A schedule recorded as choices (exhaustive exploration) is followed choice by choice.
  const chooser = replay.choices === undefined ? undefined : new ExploringChooser(replay.choices);
  const result = execute({
    scenario,
    variant: replay.variant,
    seed: replay.seed,
    workloadSeed: replay.workloadSeed,
    faults: replay.faults,
    limits: replay.limits,
    sizes: replay.sizes,
    chooser: chooser ?? (replay.decisions === undefined ? undefined : new ReplayChooser(decodeDecisions(replay.decisions, options.file))),
  });
  const changes: string[] = [];
  if (chooser?.mismatch !== undefined) changes.push(`the recorded choices no longer fit the execution: ${chooser.mismatch}`);
  const expected = replay.expected;
  if (result.physicalHash !== expected.physicalHash) changes.push(`physical hash ${expected.physicalHash} → ${result.physicalHash} (the schedule changed)`);
  if (result.logicalHash !== expected.logicalHash) changes.push(`logical hash ${expected.logicalHash} → ${result.logicalHash} (the meaning changed)`);
  if (result.verdict !== expected.verdict) changes.push(`verdict ${expected.verdict} → ${result.verdict}`);
  if (changes.length > 0 && replay.dsimVersion !== DSIM_VERSION) changes.push(`recorded with dsim ${replay.dsimVersion}, replayed with ${DSIM_VERSION}`);
  const matches = changes.length === 0;
  if (options.json) {
    io.out(JSON.stringify({
      ...executionJson(result, replay.faults.name),
      replayFile: options.file,
      replay: `dsim replay ${options.file}`,
      matches,
      changes,
      expected,
      recordedWith: replay.dsimVersion,
      ...(options.trace ? { trace: result.trace } : {}),
    }, null, 2));
  } else {
    if (options.trace) for (const event of result.trace) io.out(describeEvent(event));
    printExecution(io, result, replay.faults.name);
    if (matches) io.out(io.color.green(`  reproduced: same physical and logical hashes as recorded`));
    for (const change of changes) io.out(io.color.yellow(`  changed: ${change}`));
  }
  return !matches || result.verdict === "diverges" ? 1 : 0;
}
