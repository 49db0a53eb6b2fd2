// `dsim shrink FILE`: shrinks the diverging execution of a replay file to the fewest faults (then
// events) that still break the same invariants, writes it beside the original as
// `<name>.shrunk.replay.json` (with its decisions), and shows the faults that remain.

import type { Scenario } from "../scenario.ts";
import { UsageError } from "../errors.ts";
import { replayRequest } from "../explore/replay.ts";
import { loadScenario } from "../explore/scenarios.ts";
import { shrink, type ShrinkResult } from "../explore/shrink.ts";
import { decodeDecisions, encodeDecisions, readReplayFile, replayOf, writeReplayFile, type ReplayFile } from "../report/replayFile.ts";
import type { ShrinkSummary } from "../report/summary.ts";
import type { Io } from "./io.ts";
import { describeEvent } from "../trace/text.ts";

export interface ShrinkOptions {
  readonly file: string;
  readonly executionsMax: number | undefined;
  readonly json: boolean;
  readonly trace: boolean;
}

export type ShrinkReport = ShrinkSummary;

export async function shrinkCommand(options: ShrinkOptions, io: Io): Promise<number> {
  const replay = readReplayFile(options.file);
  const scenario = await loadScenario(replay.scenario);
  const { report, result } = shrinkReplay(scenario, replay, options.file, options.executionsMax);
  if (options.json) {
    io.out(JSON.stringify({ ...report, violations: result.shrunk.result.violations, ...(options.trace ? { trace: result.shrunk.result.trace } : {}) }, null, 2));
  } else {
    if (options.trace) for (const event of result.shrunk.result.trace) io.out(describeEvent(event));
    printShrink(io, report);
  }
  return 1;
}

/** Shrinks a replay file's execution and writes the shrunk one beside it. */
export function shrinkReplay(scenario: Scenario<any>, replay: ReplayFile, path: string, executionsMax?: number): { report: ShrinkReport; result: ShrinkResult } {
  // An explored schedule is a sequence of choices, not of fault draws the shrinker could take out.
  if (replay.choices !== undefined) throw new UsageError(`${path} records an explored schedule (choices): there are no drawn faults to shrink`);
  const result = shrink({
    ...replayRequest(scenario, replay),
    ...(replay.decisions === undefined ? {} : { decisions: decodeDecisions(replay.decisions, path) }),
    ...(executionsMax === undefined ? {} : { executionsMax }),
  });
  const { original, shrunk } = result;
  const shrunkFile = shrunkReplayPath(path);
  const summary = {
    from: path,
    faultsBefore: original.faultCount,
    faultsAfter: shrunk.faultCount,
    eventsBefore: original.result.events,
    eventsAfter: shrunk.result.events,
  };
  writeReplayFile(shrunkFile, { ...replayOf(shrunk.result, replay.scenario), decisions: encodeDecisions(shrunk.decisions), shrunk: summary });
  const faults = [
    ...result.faultEvents.map((event) => describeEvent(event).trim().replace(/\s+/g, " ")),
    ...result.delayedMessages.map((delayed) => `message #${delayed.messageId} delayed by ${delayed.delayMs} ms`),
  ];
  const report: ShrinkReport = {
    scenario: shrunk.result.scenario,
    variant: shrunk.result.variant,
    seed: shrunk.result.seed,
    ...summary,
    shrunkFile,
    replay: `dsim replay ${shrunkFile}`,
    invariants: result.invariants,
    executions: result.executions,
    executionsMaxReached: result.executionsMaxReached,
    faults,
  };
  return { report, result };
}

/** `x/seed-7.replay.json` → `x/seed-7.shrunk.replay.json`; a shrunk file keeps its name. */
export function shrunkReplayPath(path: string): string {
  if (path.endsWith(".shrunk.replay.json")) return path;
  if (path.endsWith(".replay.json")) return `${path.slice(0, -".replay.json".length)}.shrunk.replay.json`;
  return `${path.replace(/\.json$/, "")}.shrunk.replay.json`;
}

export function printShrink(io: Io, report: ShrinkReport, indent = ""): void {
  const { color } = io;
  const limit = report.executionsMaxReached ? color.yellow(" (stopped at the execution limit)") : "";
  io.out(`${indent}shrunk ${report.scenario}/${report.variant} seed ${report.seed}: ${report.faultsBefore} → ${report.faultsAfter} faults, ${report.eventsBefore} → ${report.eventsAfter} events in ${report.executions} executions${limit}`);
  io.out(`${indent}  still breaks: ${report.invariants.join(", ")}`);
  for (const fault of report.faults) io.out(`${indent}  fault: ${fault}`);
  io.out(color.dim(`${indent}  replay: ${report.replay}`));
}

