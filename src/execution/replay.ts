// Re-executing a replay file: from its seed's own draws, or from its schedule (a tape: a shrunk
// execution, an explored schedule). `dsim replay`, the shrinker and the failure pages' callers all
// execute a replay file through here, and compare with what the file expects.

import type { Scenario, Sizes } from "../core/scenario.ts";
import { describeDecision, type Decision, type Tape } from "../core/tape.ts";
import { DSIM_VERSION } from "../core/version.ts";
import { RandomChooser, RecordingChooser, TapeChooser } from "../kernel/choosers.ts";
import { computeReference, execute, type ExecutionResult, type Reference } from "./execute.ts";
import type { ReplayFile } from "./replayFile.ts";
import type { ExecutionSpec } from "./spec.ts";

export interface Replayed {
  readonly result: ExecutionResult;
  readonly reference: Reference;
  /** Decisions of the schedule that no question of this execution asked for. */
  readonly unused: readonly Decision[];
  /** The decisions this execution followed (its faults, whether a schedule or the seed made them). */
  readonly tape: Tape;
}

/** The execution a replay file names, with its loaded scenario; `sizes` overrides the file's. */
export function replaySpec(scenario: Scenario<any>, replay: ReplayFile, sizes?: Sizes): ExecutionSpec {
  const { variant, seed, workloadSeed, faults, limits } = replay;
  return { scenario, variant, seed, workloadSeed, faults, limits, sizes: sizes === undefined ? replay.sizes : { ...replay.sizes, ...sizes } };
}

/** Executes a replay file's execution again. */
export function executeReplay(scenario: Scenario<any>, replay: ReplayFile, sizes?: Sizes): Replayed {
  const spec = replaySpec(scenario, replay, sizes);
  const reference = computeReference(spec);
  const chooser = replay.schedule === null ? undefined : new TapeChooser(replay.schedule);
  const recorder = new RecordingChooser(chooser ?? new RandomChooser(spec.seed));
  const result = execute({ ...spec, chooser: recorder }, reference);
  return { result, reference, unused: chooser?.unused() ?? [], tape: recorder.tape() };
}

/** What differs between a replay and what its file expected; empty when it reproduced. */
export function replayChanges(replay: ReplayFile, replayed: Replayed): string[] {
  const { result, unused } = replayed;
  const changes: string[] = [];
  if (unused.length > 0) {
    const shown = unused.slice(0, 3).map(describeDecision).join("; ");
    changes.push(`${unused.length} recorded decision(s) were never asked for (${shown}${unused.length > 3 ? "; …" : ""}): the schedule no longer fits`);
  }
  const expected = replay.expected;
  if (result.physicalHash !== expected.physicalHash) changes.push(`physical hash ${expected.physicalHash} → ${result.physicalHash} (the schedule changed)`);
  if (result.logicalHash !== expected.logicalHash) changes.push(`logical hash ${expected.logicalHash} → ${result.logicalHash} (the meaning changed)`);
  if (result.verdict !== expected.verdict) changes.push(`verdict ${expected.verdict} → ${result.verdict}`);
  if (changes.length > 0 && replay.dsimVersion !== DSIM_VERSION) changes.push(`recorded with dsim ${replay.dsimVersion}, replayed with ${DSIM_VERSION}`);
  return changes;
}
