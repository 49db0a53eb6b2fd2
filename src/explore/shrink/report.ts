// What a shrink reports, and shrinking a replay file: the shrunk execution is written beside the
// original as `<name>.shrunk.replay.json` (its schedule, the sizes it ran at), and the report lists
// exactly the faults it counts, the invariant it kept broken and the jitter left.

import type { Scenario, Sizes } from "../../core/scenario.ts";
import { describeDecision } from "../../core/tape.ts";
import { replaySpec } from "../../execution/replay.ts";
import { replayOf, shrunkReplayPath, writeReplayFile, type ReplayFile } from "../../execution/replayFile.ts";
import { faultLines, jitterLines, type FaultLine } from "../faultList.ts";
import { shrink, type ShrinkResult } from "./shrink.ts";

/** What a shrink reports (sweep summaries carry it for each first divergence). */
export interface ShrinkReport {
  readonly scenario: string;
  readonly variant: string;
  readonly seed: number;
  readonly from: string;
  readonly shrunkFile: string;
  readonly replay: string;
  /** The invariant it kept broken. */
  readonly invariant: string;
  /** Every invariant the shrunk execution breaks (the one kept among them). */
  readonly violated: readonly string[];
  readonly faultsBefore: number;
  readonly faultsAfter: number;
  readonly eventsBefore: number;
  readonly eventsAfter: number;
  readonly sizesBefore: Sizes;
  readonly sizesAfter: Sizes;
  /** No schedule with fewer faults breaks the invariant at the shrunk sizes (0: not known; see ShrinkResult). */
  readonly faultsLowerBound: number;
  readonly executions: number;
  /** Whether it stopped at its budget (executions or events); the best found so far is kept. */
  readonly budgetReached: boolean;
  /** The faults that remain, one line each, in the order they struck: exactly `faultsAfter` lines. */
  readonly faults: readonly string[];
  /** Latency jitter (and reordered deliveries) the failure still has: not faults. */
  readonly jitter: readonly string[];
  /** The shrunk schedule's decisions, one line each. */
  readonly schedule: readonly string[];
}

export interface ShrinkOptions {
  readonly executionsMax?: number;
  readonly eventsTotalMax?: number;
  /** The invariant to keep broken (default: the first the execution broke). */
  readonly invariant?: string;
}

export interface ShrunkReplay {
  readonly report: ShrinkReport;
  readonly result: ShrinkResult;
  /** The shrunk execution's faults, with their kinds (failure pages group them). */
  readonly faults: readonly FaultLine[];
}

/** Shrinks a replay file's execution and writes the shrunk one beside it, as `<name>.shrunk.replay.json`. */
export function shrinkReplayFile(scenario: Scenario<any>, replay: ReplayFile, path: string, options: ShrinkOptions = {}): ShrunkReplay {
  const result = shrink({ ...replaySpec(scenario, replay), schedule: replay.schedule, ...options });
  const { original, shrunk } = result;
  const shrunkFile = shrunkReplayPath(path);
  const from = { from: path, invariant: result.invariant, faultsBefore: original.faultCount, faultsAfter: shrunk.faultCount, eventsBefore: original.result.events, eventsAfter: shrunk.result.events };
  writeReplayFile(shrunkFile, replayOf(shrunk.result, replay.scenario, shrunk.tape, from));
  // One line per fault decision of the tape: the very decisions `faultsAfter` counts.
  const faults = faultLines(shrunk.tape, shrunk.result);
  const report: ShrinkReport = {
    scenario: shrunk.result.scenario,
    variant: shrunk.result.variant,
    seed: shrunk.result.seed,
    ...from,
    shrunkFile,
    replay: `dsim replay ${shrunkFile}`,
    invariant: result.invariant,
    violated: [...new Set(shrunk.result.violations.map((violation) => violation.invariant))].sort(),
    sizesBefore: original.result.sizes,
    sizesAfter: shrunk.result.sizes,
    faultsLowerBound: result.faultsLowerBound,
    executions: result.executions,
    budgetReached: result.budgetReached,
    faults: faults.map((line) => line.text),
    jitter: jitterLines(shrunk.tape, shrunk.result),
    schedule: shrunk.tape.decisions().map(describeDecision),
  };
  return { report, result, faults };
}
