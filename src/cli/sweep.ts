// `dsim sweep`: executions over a seed range, for one variant, every variant of a scenario, or
// (--all) every built-in scenario. Writes a replay file per first divergence and summary.json.
// With --expect it checks each variant against its declaration, as a project's CI does.

import { join } from "node:path";
import type { ExecutionLimits, Scenario } from "../scenario.ts";
import { UsageError } from "../errors.ts";
import { findVariant } from "../explore/execute.ts";
import { builtInScenarios, loadScenario } from "../explore/scenarios.ts";
import { sweep, type SweepResult } from "../explore/sweep.ts";
import { writeFileAtomic } from "../report/atomicWrite.ts";
import { replayOf, replayPath, writeReplayFile } from "../report/replayFile.ts";
import { DSIM_VERSION } from "../version.ts";
import { wallClockMs, type Io } from "./io.ts";
import { parseFaults } from "./options.ts";

export interface SweepOptions {
  readonly scenario: string | undefined;
  readonly all: boolean;
  readonly variant: string | undefined;
  readonly seeds: number;
  readonly from: number;
  readonly faults: string;
  readonly workloadSeed: number;
  readonly varyWorkload: boolean;
  readonly expect: boolean;
  readonly limits: Partial<ExecutionLimits>;
  readonly out: string;
  readonly json: boolean;
}

interface Job {
  readonly source: string;
  readonly scenario: Scenario<any>;
  readonly variant: string;
}

export async function sweepCommand(options: SweepOptions, io: Io): Promise<number> {
  const jobs = await plan(options);
  const faults = parseFaults(options.faults);
  const reports = jobs.map((job) => {
    const declared = findVariant(job.scenario, job.variant);
    const budget = options.expect && declared.expect === "diverges" ? (declared.seedBudget ?? options.seeds) : options.seeds;
    const startedMs = wallClockMs();
    const result = sweep({
      scenario: job.scenario,
      variant: job.variant,
      seedFrom: options.from,
      seedCount: budget,
      faults,
      workloadSeed: options.workloadSeed,
      varyWorkload: options.varyWorkload,
      limits: options.limits,
      stopAtFirstDivergence: options.expect && declared.expect === "diverges",
    });
    const wallSeconds = (wallClockMs() - startedMs) / 1000;
    const report = sweepJson(result, job.source, options, wallSeconds);
    if (!options.json) printSweep(io, report);
    return report;
  });
  const divergences = reports.reduce((total, report) => total + report.divergences, 0);
  const unmet = reports.filter((report) => !report.expectationMet);
  const document = jobs.length === 1 && !options.all && options.variant !== undefined
    ? reports[0]!
    : { dsimVersion: DSIM_VERSION, faults: options.faults, expectMode: options.expect, divergences, expectationsUnmet: unmet.length, sweeps: reports };
  writeFileAtomic(join(options.out, "summary.json"), `${JSON.stringify(document, null, 2)}\n`);
  if (options.json) io.out(JSON.stringify(document, null, 2));
  else if (options.expect) {
    const line = `${reports.length - unmet.length}/${reports.length} variants behaved as declared`;
    io.out(unmet.length === 0 ? io.color.green(line) : io.color.red(line));
  }
  if (options.expect) return unmet.length === 0 ? 0 : 1;
  return divergences === 0 ? 0 : 1;
}

async function plan(options: SweepOptions): Promise<Job[]> {
  if (options.all) {
    if (options.scenario !== undefined) throw new UsageError("give a scenario or --all, not both");
    if (options.variant !== undefined) throw new UsageError("--variant needs one scenario, not --all");
    return builtInScenarios().flatMap((scenario) => scenario.variants.map((variant) => ({ source: scenario.name, scenario, variant: variant.name })));
  }
  if (options.scenario === undefined) throw new UsageError("name a scenario to sweep, or give --all");
  const scenario = await loadScenario(options.scenario);
  const source = options.scenario;
  if (options.variant !== undefined) {
    findVariant(scenario, options.variant);
    return [{ source, scenario, variant: options.variant }];
  }
  return scenario.variants.map((variant) => ({ source, scenario, variant: variant.name }));
}

type SweepReport = ReturnType<typeof sweepJson>;

function sweepJson(result: SweepResult, source: string, options: SweepOptions, wallSeconds: number) {
  const first = result.firstDivergence;
  let firstDivergence = null;
  if (first !== undefined) {
    const replayFile = replayPath(options.out, first);
    writeReplayFile(replayFile, replayOf(first, source));
    firstDivergence = { seed: first.seed, violations: first.violations, replay: `dsim replay ${replayFile}`, replayFile };
  }
  const caught = result.divergences > 0;
  return {
    scenario: result.scenario,
    variant: result.variant,
    expect: result.expect,
    verdict: caught ? "diverges" : "holds",
    expectationMet: result.expect === "diverges" ? caught : !caught,
    seeds: { from: result.seedFrom, count: result.seedsRun },
    faults: options.faults,
    workloadSeed: options.varyWorkload ? "varies" : options.workloadSeed,
    physicalTraces: result.physicalTraces,
    logicalTraces: result.logicalTraces,
    divergences: result.divergences,
    firstDivergence,
    events: result.events,
    wallSeconds: round(wallSeconds, 3),
    eventsPerSecond: wallSeconds > 0 ? Math.round(result.events / wallSeconds) : 0,
  };
}

function printSweep(io: Io, report: SweepReport): void {
  const { color } = io;
  const name = `${report.scenario}/${report.variant}`.padEnd(28);
  const verdict = report.verdict === "holds" ? color.green("holds   ") : color.red.bold("DIVERGES");
  const mark = report.expectationMet ? color.green("✓") : color.red(`✗ declared ${report.expect}`);
  io.out(`${name} ${verdict} ${mark}  ${report.seeds.count} seeds  ${report.physicalTraces} physical  ${report.logicalTraces} logical  ${report.divergences} divergences  ${report.eventsPerSecond} events/s`);
  const first = report.firstDivergence;
  if (first !== null) {
    const violation = first.violations[0];
    io.out(`  first at seed ${first.seed}: ${violation ? `${violation.invariant}: ${violation.message}` : ""}`);
    io.out(color.dim(`  replay: ${first.replay}`));
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
