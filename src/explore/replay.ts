// Re-executing a replay file: from its seed's draws, from recorded decisions (a shrunk execution)
// or from recorded choices (a schedule of the exhaustive explorer). `dsim replay` and the failure
// pages both execute a replay file through here.

import type { Scenario } from "../scenario.ts";
import { ReplayChooser } from "../kernel/chooser.ts";
import { decodeDecisions, type ReplayFile } from "../report/replayFile.ts";
import { computeReference, execute, type ExecutionResult, type Reference } from "./execute.ts";
import { ExploringChooser } from "./exploringChooser.ts";

export interface Replayed {
  readonly result: ExecutionResult;
  readonly reference: Reference;
  /** Set when recorded choices no longer fit the execution. */
  readonly mismatch: string | undefined;
}

/** What identifies a replay file's execution, before how its choices are made. */
export function replayRequest(scenario: Scenario<any>, replay: ReplayFile) {
  return {
    scenario,
    variant: replay.variant,
    seed: replay.seed,
    workloadSeed: replay.workloadSeed,
    faults: replay.faults,
    limits: replay.limits,
    ...(replay.sizes === undefined ? {} : { sizes: replay.sizes }),
  };
}

/** Executes a replay file's execution again; `path` names the file in error messages. */
export function executeReplay(scenario: Scenario<any>, replay: ReplayFile, path: string): Replayed {
  const chooser = replay.choices === undefined ? undefined : new ExploringChooser(replay.choices);
  const reference = computeReference(scenario, replay.variant, replay.workloadSeed, replay.limits, replay.sizes);
  const decisions = replay.decisions === undefined ? undefined : new ReplayChooser(decodeDecisions(replay.decisions, path));
  const result = execute({ ...replayRequest(scenario, replay), chooser: chooser ?? decisions }, reference);
  return { result, reference, mismatch: chooser?.mismatch };
}
