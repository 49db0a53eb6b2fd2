// The console reporter: what a person reads in a terminal. Colour comes from the Io (off when
// NO_COLOR is set or stdout is not a terminal); during a sweep it prints above the progress bar.

import { describeEvent } from "../../core/eventText.ts";
import { canonicalJson } from "../../core/hash.ts";
import type { ExecutionResult } from "../../execution/execute.ts";
import type { BoundedReport } from "../../explore/boundedReport.ts";
import type { ShrinkReport } from "../../explore/shrink/report.ts";
import { headlineViolation } from "../../report/headline.ts";
import type { SweepEntry } from "../../report/summary.ts";
import type { Io } from "../io.ts";
import type { Reporter, ReporterOptions } from "./types.ts";

/** How many outcomes of an exploration the text lists before it summarizes the rest. */
const OUTCOMES_SHOWN_MAX = 8;
/** Non-deterministic seeds printed per variant; summary.json has them all. */
const MISMATCHES_PRINTED_MAX = 3;

export function consoleReporter({ io, progress }: ReporterOptions): Reporter {
  const { color } = io;
  const above = (write: () => void) => (progress === undefined ? write() : progress.print(write));
  return {
    execution({ result, faults, replay, replayFile, trace, check, page }) {
      if (trace) for (const event of result.trace) io.out(describeEvent(event));
      printExecution(io, result, faults);
      if (check === undefined) {
        io.out(`  replay: ${replay}`);
        if (replayFile !== null) io.out(`  replay file: ${replayFile}`);
      } else {
        if (check.changes.length === 0) io.out(color.green("  reproduced: same physical and logical hashes as recorded"));
        for (const change of check.changes) io.out(color.yellow(`  changed: ${change}`));
      }
      if (page !== undefined) io.out(`  page: ${page.path}`);
    },
    shrink({ report, shrunk, trace }) {
      if (trace) for (const event of shrunk.trace) io.out(describeEvent(event));
      printShrink(io, report);
    },
    lost({ what, faults, lost, replay, replayFile, check }) {
      io.out(`${what}${faults === null ? "" : ` faults ${faults}`}: ${color.red.bold(lost.verdict === "hung" ? "HUNG" : "OUT OF MEMORY")}`);
      io.out(color.red(`  ✗ ${lost.verdict}: ${lost.message}`));
      if (check !== undefined) {
        if (check.changes.length === 0) io.out(color.green(`  reproduced: ${check.expected} again, as recorded`));
        for (const change of check.changes) io.out(color.yellow(`  changed: ${change}`));
      } else {
        if (replay !== null) io.out(`  replay: ${replay}`);
        if (replayFile !== null) io.out(`  replay file: ${replayFile}`);
      }
    },
    exploration(report) {
      const verdict = report.verdict === "holds" ? color.green("holds") : color.red.bold("DIVERGES");
      const sizes = Object.entries(report.sizes).map(([name, value]) => `${name} ${value}, `).join("");
      io.out(`${report.scenario}/${report.variant} exhaustive (${sizes}drops ${report.drops}, duplicates ${report.duplicates}): ${verdict}`);
      io.out(`  ${report.schedules} schedules  ${report.distinctStates} states  ${report.distinctOutcomes} logical outcomes (${report.divergentOutcomes} diverge)  ${report.executions} executions  ${report.schedulesPerSecond} schedules/s`);
      if (!report.complete) {
        const cuts = [...report.boundsHit, ...(report.cycles > 0 ? [`${report.cycles} cycles`] : [])].join(", ");
        io.out(color.yellow(`  incomplete: cut short by ${cuts}; ${report.truncatedSchedules} schedules truncated, the counts are lower bounds`));
      }
      for (const outcome of report.outcomes.slice(0, OUTCOMES_SHOWN_MAX)) {
        const mark = outcome.verdict === "holds" ? color.green("holds") : color.red("diverges");
        io.out(`  ${String(outcome.schedules).padStart(9)} × ${canonicalJson(outcome.logical)}  ${mark}${outcome.replay === null ? "" : color.dim(`  ${outcome.replay}`)}`);
      }
      const hidden = report.outcomes.length - OUTCOMES_SHOWN_MAX;
      if (hidden > 0) io.out(color.dim(`  ... and ${hidden} more outcomes (--json lists them all)`));
    },
    boundedSearch(report) {
      printBoundedSearch(io, report);
    },
    variant({ entry }) {
      above(() => printSweepEntry(io, entry));
    },
    sweepEnd({ entries, expectMode, out, mergedShards }) {
      printTotals(io, entries, expectMode);
      if (mergedShards !== undefined) io.out(color.dim(`merged ${mergedShards} shards into ${out}`));
      io.out(color.dim(`report: ${out}/index.html`));
    },
  };
}

function printBoundedSearch(io: Io, report: BoundedReport): void {
  const { color } = io;
  const target = report.invariant === null ? "" : `, breaking ${report.invariant}`;
  const head = `${report.scenario}/${report.variant} bounded (faults ≤ ${report.faultsMax}, profile ${report.faults}, seed ${report.seed}${target})`;
  const found = report.counterexample;
  const faults = (count: number) => `${count} ${count === 1 ? "fault" : "faults"}`;
  if (found !== null) io.out(`${head}: ${color.red.bold("DIVERGES")} with ${faults(report.minimumFaults!)}, the fewest`);
  else if (report.verdict === "holds") io.out(`${head}: ${color.green("holds")}: no schedule with ${faults(report.faultsMax)} or fewer breaks it`);
  else io.out(`${head}: ${color.yellow("unknown")}: no schedule with fewer than ${faults(report.faultsLowerBound)} breaks it; stopped at the execution limit`);
  const levels = report.levels.map((level) => `${level.faults}: ${level.schedules}${level.complete ? "" : " (part)"}`).join(", ");
  io.out(color.dim(`  schedules by fault count: ${levels}  ${report.executions} executions  ${report.executionsPerSecond} executions/s`));
  if (found === null) return;
  for (const violation of found.violations) io.out(color.red(`  ✗ ${violation.invariant}: ${violation.message}`));
  if (found.faults.length === 0) io.out("  faults: none");
  else io.out("  faults:");
  found.faults.forEach((fault, index) => io.out(`    ${index + 1}. ${fault}`));
  io.out(color.dim(`  replay: ${found.replay}`));
}

function printExecution(io: Io, result: ExecutionResult, faults: string): void {
  const { color } = io;
  const verdict = result.verdict === "holds" ? color.green("holds") : color.red.bold("DIVERGES");
  io.out(`${result.scenario}/${result.variant} seed ${result.seed} faults ${faults}: ${verdict}`);
  io.out(color.dim(`  physical ${result.physicalHash}  logical ${result.logicalHash}  ${result.events} events  ended ${result.endReason} at ${result.endedAtMs} ms`));
  io.out(`  logical trace: ${canonicalJson(result.logical)}`);
  for (const violation of result.violations) io.out(color.red(`  ✗ ${violation.invariant}: ${violation.message}`));
}

/** Jitter lines the console shows before it summarizes the rest (the JSON has them all). */
const JITTER_SHOWN_MAX = 3;

function printShrink(io: Io, report: ShrinkReport, indent = ""): void {
  const { color } = io;
  const limit = report.budgetReached ? color.yellow(" (stopped at its budget)") : "";
  const sizes = Object.keys(report.sizesAfter)
    .filter((name) => report.sizesAfter[name] !== report.sizesBefore[name])
    .map((name) => `${name} ${report.sizesBefore[name]} → ${report.sizesAfter[name]}`);
  const sizeText = sizes.length === 0 ? "" : `, ${sizes.join(", ")}`;
  io.out(`${indent}shrunk ${report.scenario}/${report.variant} seed ${report.seed}: ${report.faultsBefore} → ${report.faultsAfter} faults, ${report.eventsBefore} → ${report.eventsAfter} events${sizeText} in ${report.executions} executions${limit}`);
  const others = report.violated.filter((invariant) => invariant !== report.invariant);
  io.out(`${indent}  still breaks: ${report.invariant}${others.length === 0 ? "" : color.dim(` (and ${others.join(", ")})`)}`);
  if (report.faultsAfter > 0 && report.faultsLowerBound === report.faultsAfter) io.out(color.dim(`${indent}  no schedule with fewer faults breaks it (bounded search from below)`));
  if (report.faults.length === 0) io.out(`${indent}  faults: none`);
  else io.out(`${indent}  faults:`);
  report.faults.forEach((fault, index) => io.out(`${indent}    ${index + 1}. ${fault}`));
  if (report.jitter.length > 0) {
    const shown = report.jitter.slice(0, JITTER_SHOWN_MAX).join("; ");
    const more = report.jitter.length > JITTER_SHOWN_MAX ? `; … ${report.jitter.length - JITTER_SHOWN_MAX} more` : "";
    io.out(`${indent}  jitter (not faults): ${shown}${more}`);
  }
  io.out(color.dim(`${indent}  replay: ${report.replay}`));
}

function printSweepEntry(io: Io, entry: SweepEntry): void {
  const { color } = io;
  const name = `${entry.scenario}/${entry.variant}`.padEnd(28);
  const verdicts = {
    holds: color.green("holds   "), diverges: color.red.bold("DIVERGES"), nondeterministic: color.magenta.bold("NONDETERMINISTIC"), "scenario-error": color.yellow.bold("SCENARIO ERROR"),
    hung: color.red.bold("HUNG"), "out-of-memory": color.red.bold("OUT OF MEMORY"),
  };
  const mark = entry.expectationMet ? color.green("✓") : color.red(`✗ declared ${entry.expect}`);
  const logical = `${entry.logicalTraces} logical (${entry.admissibleLogicalTraces} admissible, ${entry.inadmissibleLogicalTraces} not)`;
  io.out(`${name} ${verdicts[entry.verdict]} ${mark}  ${entry.seeds.count} seeds  ${entry.physicalTraces} physical  ${logical}  ${entry.divergences} divergences  ${entry.eventsPerSecond} events/s`);
  const broken = entry.scenarioError;
  if (broken !== null) {
    const what = broken.kind === "nondeterminism" ? "ambient time or randomness" : "scenario error";
    io.out(color.yellow(`  ${what} at seed ${broken.seed} (the sweep of this variant stopped there; no verdict): ${broken.message}`));
    io.out(color.dim(`  run it: ${broken.run}`));
  }
  const first = entry.firstDivergence;
  if (first !== null) {
    const violation = headlineViolation(first.violations);
    io.out(`  first at seed ${first.seed}: ${violation ? `${violation.invariant}: ${violation.message}` : ""}`);
    io.out(color.dim(`  replay: ${first.replay}`));
    if (first.shrunk !== null) printShrink(io, first.shrunk, "  ");
    if (first.page !== null) io.out(`  page: ${first.page}`);
  }
  const lost = entry.lost;
  if (lost !== null) {
    io.out(color.red(`  ${lost.verdict} at seed ${lost.seed}: ${lost.message}; the sweep of this variant stopped there`));
    io.out(color.dim(`  replay: ${lost.replay}`));
  }
  printInvariants(io, entry);
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

/** The tally per invariant; the replay of each invariant whose first seed is not the first divergence's. */
function printInvariants(io: Io, entry: SweepEntry): void {
  if (entry.invariants.length === 0) return;
  const stopped = entry.seeds.stopsAtFirstDivergence ? " (stopped at the first divergence)" : "";
  const tally = entry.invariants.map((invariant) => `${invariant.invariant} ${invariant.seeds} (first ${invariant.firstSeed})`).join(" · ");
  io.out(`  seeds breaking each invariant, of ${entry.seeds.count} run${stopped}: ${tally}`);
  const firstSeed = entry.firstDivergence?.seed;
  for (const invariant of entry.invariants) {
    if (invariant.firstSeed !== firstSeed) io.out(io.color.dim(`  ${invariant.invariant} first broke at seed ${invariant.firstSeed}: ${invariant.replay}`));
  }
}

function printTotals(io: Io, entries: readonly SweepEntry[], expectMode: boolean): void {
  const nondeterministic = entries.filter((entry) => entry.verdict === "nondeterministic").length;
  if (nondeterministic > 0) io.out(io.color.magenta(`${nondeterministic} variant(s) are non-deterministic: a bug in the scenario or in dsim, not a verdict on the protocol`));
  const broken = entries.filter((entry) => entry.scenarioError !== null).length;
  if (broken > 0) io.out(io.color.yellow(`${broken} variant(s) stopped at a scenario error: fix the scenario; that is not a verdict on the protocol`));
  if (!expectMode) return;
  const met = entries.filter((entry) => entry.expectationMet).length;
  const line = `${met}/${entries.length} variants behaved as declared`;
  io.out(met === entries.length ? io.color.green(line) : io.color.red(line));
}
