// `dsim sweep`: executions over a seed range, for one variant, every variant of a scenario, or
// (--all) every built-in scenario; on worker threads (--workers), for one shard of the range
// (--shard i/n). Writes a replay file per first divergence (and its shrunk execution), summary.json,
// seeds.jsonl for a shard, and JUnit XML (--junit). With --expect it checks each variant against its
// declaration, as a project's CI does. --check-determinism re-executes seeds on another thread.
//
// Exit codes: 0 nothing diverged (--expect: every variant behaved as declared), 1 a divergence
// (--expect: a variant did not), 3 non-determinism (in the scenario or in dsim).

import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { ExecutionLimits, Scenario } from "../scenario.ts";
import { UsageError } from "../errors.ts";
import { findVariant, type ExecutionResult } from "../explore/execute.ts";
import { runSweep } from "../explore/parallel.ts";
import { builtInScenarios, loadScenario } from "../explore/scenarios.ts";
import type { Shard } from "../explore/sweep.ts";
import { WorkerPool } from "../explore/workers/pool.ts";
import { writeFileAtomic } from "../report/atomicWrite.ts";
import { writeFailurePage, writeIndexPage } from "../report/html/pages.ts";
import { junitXml } from "../report/junit.ts";
import { replayOf, replayPath, writeReplayFile } from "../report/replayFile.ts";
import { seedLines, sweepDocument, sweepEntry, type FirstDivergenceSummary, type SeedLine, type SweepDocument, type SweepEntry } from "../report/summary.ts";
import { wallClockMs, type Io } from "./io.ts";
import { parseFaults } from "./options.ts";
import { startProgress } from "./progress.ts";
import { printShrink, shrinkReplay } from "./shrink.ts";
import { describeEvent } from "../trace/text.ts";

export const EXIT_NONDETERMINISM = 3;

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
  /** Worker threads; 1 runs in this thread. Default: the machine's available parallelism. */
  readonly workers?: number;
  readonly shard?: Shard;
  /** Shrink each first divergence (default true). */
  readonly shrink?: boolean;
  readonly checkDeterminism?: boolean;
  readonly junit?: string;
}

interface Job {
  readonly source: string;
  readonly scenario: Scenario<any>;
  readonly variant: string;
  readonly budget: number;
  readonly stopsAtFirstDivergence: boolean;
}

export async function sweepCommand(options: SweepOptions, io: Io): Promise<number> {
  const jobs = await plan(options);
  const faults = parseFaults(options.faults);
  const workers = options.workers ?? availableParallelism();
  const determinism = !options.checkDeterminism ? "off" : options.expect ? "all" : "sample";
  const pool = workers > 1 || determinism !== "off" ? new WorkerPool(workers) : undefined;
  const shardSeeds = (budget: number) => Math.ceil(budget / (options.shard?.count ?? 1));
  const progress = startProgress(io, options.json, jobs.reduce((total, job) => total + shardSeeds(job.budget), 0));
  const entries: SweepEntry[] = [];
  const lines: SeedLine[] = [];
  try {
    await pool?.ready();
    for (const job of jobs) {
      const label = `${job.scenario.name}/${job.variant}`;
      const startedMs = wallClockMs();
      const run = await runSweep(
        {
          scenario: job.scenario,
          variant: job.variant,
          seedFrom: options.from,
          seedCount: job.budget,
          faults,
          workloadSeed: options.workloadSeed,
          varyWorkload: options.varyWorkload,
          limits: options.limits,
          stopAtFirstDivergence: job.stopsAtFirstDivergence,
          ...(options.shard === undefined ? {} : { shard: options.shard }),
          onSeed: (done, divergences) => progress.advance(label, done, divergences),
        },
        { source: job.source, pool, parallel: workers > 1, determinism },
      );
      const wallSeconds = (wallClockMs() - startedMs) / 1000;
      progress.finish(run.result.seedsRun, shardSeeds(job.budget));
      const firstDivergence = await reportFirstDivergence(run.result.firstDivergence, job, options);
      const entry = sweepEntry({
        result: run.result,
        expectMode: options.expect,
        budget: job.budget,
        stopsAtFirstDivergence: job.stopsAtFirstDivergence,
        shard: options.shard,
        faults: options.faults,
        workloadSeed: options.varyWorkload ? "varies" : options.workloadSeed,
        firstDivergence,
        determinism: run.determinism,
        wallSeconds,
      });
      entries.push(entry);
      if (options.shard !== undefined) lines.push(...seedLines(entry.scenario, entry.variant, run.result.outcomes, run.determinism?.checkedSeeds ?? []));
      if (!options.json) progress.print(() => printSweep(io, entry));
    }
  } finally {
    progress.stop();
    await pool?.close();
  }
  const single = jobs.length === 1 && !options.all && options.variant !== undefined;
  const document = single ? entries[0]! : sweepDocument(entries, options.faults, options.expect);
  writeSweepReports(options, document, entries, lines);
  if (options.json) io.out(JSON.stringify(document, null, 2));
  else {
    printTotals(io, entries, options.expect);
    io.out(io.color.dim(`report: ${join(options.out, "index.html")}`));
  }
  return exitCodeOf(entries, options.expect, options.shard !== undefined);
}

/** Everything a sweep writes under --out (and --junit); a new report format plugs in here. */
export function writeSweepReports(options: Pick<SweepOptions, "out" | "junit" | "expect" | "shard">, document: SweepDocument | SweepEntry, entries: readonly SweepEntry[], lines: readonly SeedLine[]): void {
  writeFileAtomic(join(options.out, "summary.json"), `${JSON.stringify(document, null, 2)}\n`);
  writeIndexPage(options.out, "sweeps" in document ? document : sweepDocument([document], document.faults, document.expectMode));
  if (options.shard !== undefined) writeFileAtomic(join(options.out, "seeds.jsonl"), lines.map((line) => `${JSON.stringify(line)}\n`).join(""));
  if (options.junit !== undefined) writeFileAtomic(options.junit, junitXml(entries, options.expect));
}

/**
 * A shard sees only part of each seed budget: whether a `diverges` variant was caught is for the
 * merge to say, so a shard in CI mode fails only when a `holds` variant diverges.
 */
export function exitCodeOf(entries: readonly SweepEntry[], expectMode: boolean, sharded = false): number {
  if (entries.some((entry) => entry.verdict === "nondeterministic")) return EXIT_NONDETERMINISM;
  const judged = sharded ? entries.filter((entry) => entry.expect === "holds") : entries;
  if (expectMode) return judged.every((entry) => entry.expectationMet) ? 0 : 1;
  return entries.some((entry) => entry.divergences > 0) ? 1 : 0;
}

async function plan(options: SweepOptions): Promise<Job[]> {
  const jobOf = (source: string, scenario: Scenario<any>, variant: string): Job => {
    const declared = findVariant(scenario, variant);
    const stopsAtFirstDivergence = options.expect && declared.expect === "diverges";
    return { source, scenario, variant, budget: stopsAtFirstDivergence ? (declared.seedBudget ?? options.seeds) : options.seeds, stopsAtFirstDivergence };
  };
  if (options.all) {
    if (options.scenario !== undefined) throw new UsageError("give a scenario or --all, not both");
    if (options.variant !== undefined) throw new UsageError("--variant needs one scenario, not --all");
    return builtInScenarios().flatMap((scenario) => scenario.variants.map((variant) => jobOf(scenario.name, scenario, variant.name)));
  }
  if (options.scenario === undefined) throw new UsageError("name a scenario to sweep, or give --all");
  const scenario = await loadScenario(options.scenario);
  const source = options.scenario;
  if (options.variant !== undefined) return [jobOf(source, scenario, options.variant)];
  return scenario.variants.map((variant) => jobOf(source, scenario, variant.name));
}

/** Writes the first divergence's replay file, unless --no-shrink its shrunk execution, and the failure page of the last. */
async function reportFirstDivergence(first: ExecutionResult | undefined, job: Job, options: SweepOptions): Promise<FirstDivergenceSummary | null> {
  if (first === undefined || first.verdict !== "diverges") return null;
  const replayFile = replayPath(options.out, first);
  const replay = replayOf(first, job.source);
  writeReplayFile(replayFile, replay);
  const shrunk = options.shrink === false ? null : shrinkReplay(job.scenario, replay, replayFile).report;
  const page = await writeFailurePage(shrunk?.shrunkFile ?? replayFile);
  return { seed: first.seed, violations: first.violations, replay: `dsim replay ${replayFile}`, replayFile, shrunk, page };
}

function printSweep(io: Io, entry: SweepEntry): void {
  const { color } = io;
  const name = `${entry.scenario}/${entry.variant}`.padEnd(28);
  const verdicts = { holds: color.green("holds   "), diverges: color.red.bold("DIVERGES"), nondeterministic: color.magenta.bold("NONDETERMINISTIC") };
  const mark = entry.expectationMet ? color.green("✓") : color.red(`✗ declared ${entry.expect}`);
  io.out(`${name} ${verdicts[entry.verdict]} ${mark}  ${entry.seeds.count} seeds  ${entry.physicalTraces} physical  ${entry.logicalTraces} logical  ${entry.divergences} divergences  ${entry.eventsPerSecond} events/s`);
  const first = entry.firstDivergence;
  if (first !== null) {
    const violation = first.violations[0];
    io.out(`  first at seed ${first.seed}: ${violation ? `${violation.invariant}: ${violation.message}` : ""}`);
    io.out(color.dim(`  replay: ${first.replay}`));
    if (first.shrunk !== null) printShrink(io, first.shrunk, "  ");
    if (first.page !== null) io.out(`  page: ${first.page}`);
  }
  const determinism = entry.determinism;
  if (determinism !== null && determinism.mismatches.length === 0) io.out(color.dim(`  determinism: ${determinism.checkedSeeds} seeds re-executed on another thread, same physical hashes`));
  const mismatches = determinism?.mismatches ?? [];
  for (const mismatch of mismatches.slice(0, MISMATCHES_PRINTED_MAX)) {
    io.out(color.magenta(`  non-determinism at seed ${mismatch.seed}: physical hash ${mismatch.physicalHashes[0]} on one thread, ${mismatch.physicalHashes[1]} on another`));
    const parting = mismatch.firstParting;
    if (parting === null) io.out(color.magenta("  (the traces could not be caught parting again)"));
    else {
      io.out(color.magenta(`  traces part at event ${parting.index}:`));
      io.out(color.magenta(`    first:  ${parting.first === null ? "(ended)" : describeEvent(parting.first)}`));
      io.out(color.magenta(`    second: ${parting.second === null ? "(ended)" : describeEvent(parting.second)}`));
    }
  }
  if (mismatches.length > MISMATCHES_PRINTED_MAX) io.out(color.magenta(`  … and ${mismatches.length - MISMATCHES_PRINTED_MAX} more seeds (all in summary.json)`));
}

/** Non-deterministic seeds printed per variant; summary.json has them all. */
const MISMATCHES_PRINTED_MAX = 3;

function printTotals(io: Io, entries: readonly SweepEntry[], expectMode: boolean): void {
  const nondeterministic = entries.filter((entry) => entry.verdict === "nondeterministic").length;
  if (nondeterministic > 0) io.out(io.color.magenta(`${nondeterministic} variant(s) are non-deterministic: a bug in the scenario or in dsim, not a verdict on the protocol`));
  if (!expectMode) return;
  const met = entries.filter((entry) => entry.expectationMet).length;
  const line = `${met}/${entries.length} variants behaved as declared`;
  io.out(met === entries.length ? io.color.green(line) : io.color.red(line));
}
