// `dsim sweep`: executions over a seed range, for one variant, every variant of a scenario, or
// (--all) every built-in scenario; on worker threads (--workers), for one shard of the range
// (--shard i/n). The library plans and runs each variant (explore/plan.ts, explore/sweepVariant.ts);
// this command times them, builds the summary entries and hands everything to the reporters:
// console or JSON, summary.json (and seeds.jsonl for a shard), the HTML pages, JUnit (--junit).
// Every execution runs on worker threads under the watchdog; --out is claimed (report/outFolder.ts)
// and its summary.json says "complete": false until the sweep ends.

import { assert, UsageError } from "../../core/errors.ts";
import { checkWritableFile } from "../../core/files.ts";
import type { Sizes } from "../../core/scenario.ts";
import type { LoadedScenario, PlannedVariant } from "../../explore/plan.ts";
import { planVariants } from "../../explore/plan.ts";
import type { Shard } from "../../explore/sweep.ts";
import { sweepVariant, type VariantSweep } from "../../explore/sweepVariant.ts";
import { withWorkerPool, type WorkerPool } from "../../explore/workers/pool.ts";
import { pagePath } from "../../report/html/pages.ts";
import { OutFolder, removeOwnTemporaryFiles } from "../../report/outFolder.ts";
import { seedLines, sweepDocument, sweepEntry, type SeedLine, type SweepDocument, type SweepEntry } from "../../report/summary.ts";
import { defineCommand } from "../command.ts";
import { sweepExitCode } from "../exitCodes.ts";
import { onInterrupt } from "../interrupt.ts";
import { wallClockMs } from "../io.ts";
import { checkSeedRange, EXECUTION_OPTIONS, executionSettingsOf, JSON_OPTION, OUT_OPTION, parseSeedRange, parseShard, parseWorkers, WATCHDOG_OPTIONS, watchdogOf } from "../options.ts";
import { startProgress } from "../progress.ts";
import { builtIns, loadScenario } from "../registry.ts";
import { TYPECHECK_OPTION, typecheckBeforeRunning } from "../typecheckScenario.ts";
import { reportersFor, textReporter, type VariantDone } from "../reporters/index.ts";
import { runCommandLine } from "./run.ts";

export const DEFAULT_SEED_COUNT = 1000;
/** Variants swept ahead of the one reported next (each keeps its seeds' outcomes until reported). */
export const VARIANTS_AHEAD_MAX = 4;

export const sweepCommand = defineCommand({
  command: "sweep [scenario]",
  describe: "Run a seed range; count distinct physical and logical traces and divergences",
  builder: (yargs) =>
    yargs
      .positional("scenario", { type: "string", describe: "a built-in scenario's name or a scenario file's path" })
      .option("all", { type: "boolean", default: false, describe: "every built-in scenario and variant" })
      .option("variant", { type: "string", describe: "one variant (default: every variant)" })
      .option("seeds", { type: "string", default: String(DEFAULT_SEED_COUNT), describe: "how many seeds" })
      .option("from", { type: "string", default: "0", describe: "the first seed" })
      .options(EXECUTION_OPTIONS)
      .options(WATCHDOG_OPTIONS)
      .option("vary-workload", { type: "boolean", default: false, describe: "draw a new logical input per seed" })
      .option("expect", { type: "boolean", default: false, describe: "CI mode: exit 1 only if a variant does not behave as it declares" })
      .option("workers", { type: "string", describe: "worker threads (default and most: the number of cores)" })
      .option("shard", { type: "string", describe: "run shard i of n of the seed range (seed s is in shard (s - from) mod n), e.g. 0/4; auto: i from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job), n from DSIM_SHARD_COUNT" })
      .option("shrink", { type: "boolean", default: true, describe: "shrink each first divergence (--no-shrink to skip)" })
      .option("shrink-invariant", { type: "string", describe: "shrink the first seed that broke this invariant, toward it (default: the first divergence, toward the first invariant it broke)" })
      .option("check-determinism", { type: "boolean", default: false, describe: "re-execute seeds on another thread and compare physical hashes (every seed with --expect, else 1 in 10)" })
      .option("junit", { type: "string", describe: "also write JUnit XML to this file" })
      .option("out", OUT_OPTION)
      .option("json", JSON_OPTION)
      .option("typecheck", TYPECHECK_OPTION)
      .epilogue(
        "Reports, per variant, the seeds that broke each invariant and the first that did. Writes under --out: summary.json, index.html (open it in a browser), a replay file for the first seed that broke each invariant, and for each variant's first divergence its shrunk replay file and failure page (.html). " +
          "The folder is locked while the sweep runs (a second sweep into it is refused), and summary.json says \"complete\": false until the sweep ends. " +
          "A seed that hangs past --execution-timeout-ms or allocates past --heap-max-mb is reported hung or out-of-memory (exit 1) with its replay file.",
      )
      .example("dsim sweep delivery --variant retry-set --seeds 2000", "one variant over seeds 0..1999")
      .example("dsim sweep delivery --size messages=3 --seeds 500", "every variant at a smaller size")
      .example("dsim sweep two-phase-commit --variant commit-on-timeout --seeds 2000", "how many seeds broke each invariant (validity, atomicity...)")
      .example("dsim sweep --all --expect", "what CI runs: every variant against its declaration")
      .example("dsim sweep consensus --variant no-dedup --shrink-invariant linearizability", "shrink the first seed that broke the invariant you care about")
      .example("dsim sweep --all --expect --shard 1/4 --out reports/shard-1", "one machine's quarter of the seeds; then dsim report merge")
      .example("DSIM_SHARD_COUNT=4 dsim sweep --all --expect --shard auto --out reports/shard-$JOB_COMPLETION_INDEX", "in a Kubernetes Indexed Job of 4 completions: its pod's shard"),
  async run(args, io) {
    if (args.all && args.scenario !== undefined) throw new UsageError("give a scenario or --all, not both");
    if (!args.all && args.scenario === undefined) throw new UsageError("name a scenario to sweep, or give --all");
    if (args.all && args.variant !== undefined) throw new UsageError("--variant needs one scenario, not --all");
    if (args.typecheck && args.scenario !== undefined) await typecheckBeforeRunning(args.scenario, io);
    const scenarios: LoadedScenario[] = args.all ? builtIns() : [await loadScenario(args.scenario!)];
    const expect = args.expect;
    const shard = args.shard === undefined ? undefined : parseShard(args.shard);
    const { seedFrom, seedCount } = parseSeedRange(args.from, args.seeds, shard?.count);
    const planned = planVariants(scenarios, { ...(args.variant === undefined ? {} : { variant: args.variant }), seedCount, expect });
    for (const variant of planned) checkSeedRange(seedFrom, variant.budget, shard?.count ?? 1, `the seed budget ${variant.budget} of ${variant.scenario.name}/${variant.variant}`);
    const workers = parseWorkers(args.workers);
    const watchdog = watchdogOf(args, workers);
    const determinism = !args.checkDeterminism ? "off" : expect ? "all" : "sample";
    const settings = {
      ...executionSettingsOf(args),
      seedFrom,
      varyWorkload: args.varyWorkload,
      ...(shard === undefined ? {} : { shard }),
      out: args.out,
      shrink: args.shrink,
      ...(args.shrinkInvariant === undefined ? {} : { shrinkInvariant: args.shrinkInvariant }),
      determinism,
    } as const;
    if (args.junit !== undefined) checkWritableFile(args.junit, `--junit '${args.junit}'`);
    const folder = OutFolder.claim(args.out, `dsim sweep ${scenarios.length === 1 && !args.all ? scenarios[0]!.source : "--all"}`);
    const shardSeeds = (budget: number) => Math.ceil(budget / (shard?.count ?? 1));
    const progress = startProgress(io, args.json, planned.reduce((total, variant) => total + shardSeeds(variant.budget), 0));
    const reporter = reportersFor([textReporter(args.json), "html"], { io, progress });
    let interruptPool: WorkerPool | undefined;
    const forgetInterrupt = onInterrupt(async () => {
      progress.stop();
      await interruptPool?.close();
      removeOwnTemporaryFiles(args.out);
      folder.release();
    });
    const entries: SweepEntry[] = [];
    const lines: SeedLine[] = [];
    const single = planned.length === 1 && !args.all && args.variant !== undefined;
    const documentOf = (): SweepDocument | SweepEntry => (single && entries.length === 1 ? entries[0]! : sweepDocument(entries, args.faults, expect));
    // The determinism check re-executes each seed on another thread than the one that ran it: two at
    // least, started at once. Without it the pool starts one worker and grows while there is work
    // enough to pay for another's start-up (explore/parallel.ts).
    const poolSize = determinism === "off" ? workers : Math.max(2, workers);
    const initialWorkers = determinism === "off" ? 1 : poolSize;
    const labelOf = (variant: PlannedVariant) => `${variant.scenario.name}/${variant.variant}`;
    const seedsAfter = (index: number) => planned.slice(index + 1).reduce((total, variant) => total + shardSeeds(variant.budget), 0);
    try {
      folder.writeSummary(documentOf(), false);
      await withWorkerPool(poolSize, watchdog, async (pool) => {
        interruptPool = pool;
        // Variants run ahead of the one reported next, their tasks behind its own on the pool: a
        // worker that would wait (for the last chunks, or beside a shrink) runs later variants' seeds.
        // Each is reported in the plan's order, when it and every one before it are done.
        // A variant's wallSeconds is its own span, from its start to its end: spans overlap.
        const running: Promise<{ readonly swept: VariantSweep; readonly wallSeconds: number }>[] = [];
        const startVariant = (index: number) => {
          const variant = planned[index]!;
          const startedMs = wallClockMs();
          const swept = sweepVariant(variant, settings, pool, (done, divergences) => progress.advance(labelOf(variant), done, divergences), { priority: index, seedsAfter: seedsAfter(index) })
            .then((done) => ({ swept: done, wallSeconds: (wallClockMs() - startedMs) / 1000 }));
          swept.catch(() => undefined); // awaited below in order; a later one's failure must not go unhandled meanwhile
          running.push(swept);
        };
        for (const [index, variant] of planned.entries()) {
          while (running.length < Math.min(planned.length, index + 1 + VARIANTS_AHEAD_MAX)) startVariant(running.length);
          const { swept, wallSeconds } = await running[index]!;
          progress.finish(labelOf(variant), swept.run.result.seedsRun, shardSeeds(variant.budget));
          const entry = entryOf(swept, { expect, shard, faults: args.faults, workloadSeed: settings.varyWorkload ? "varies" : settings.workloadSeed, sizes: settings.sizes, wallSeconds });
          entries.push(entry);
          const result = swept.run.result;
          if (shard !== undefined) lines.push(...seedLines(entry.scenario, entry.variant, result.outcomes, swept.run.determinism?.checkedSeeds ?? [], result.scenarioError, result.lost));
          reporter.variant({ entry, page: pageOf(swept) });
          folder.writeSummary(documentOf(), false);
        }
      }, { initialWorkers });
      reportersFor([textReporter(args.json), "html", "junit", "summary-files"], { io, ...(args.junit === undefined ? {} : { junitFile: args.junit }) })
        .sweepEnd({ document: documentOf(), entries, lines: shard === undefined ? null : lines, expectMode: expect, out: args.out });
    } finally {
      progress.stop();
      forgetInterrupt();
      folder.release();
    }
    return sweepExitCode(entries, expect, shard !== undefined);
  },
});

interface EntryContext {
  readonly expect: boolean;
  readonly shard: Shard | undefined;
  readonly faults: string;
  readonly workloadSeed: number | "varies";
  readonly sizes: Sizes;
  readonly wallSeconds: number;
}

function entryOf(swept: VariantSweep, context: EntryContext): SweepEntry {
  const { planned, run, firstDivergence, lost } = swept;
  const first = firstDivergence;
  const shrunk = first?.shrunk?.kind === "shrunk" ? first.shrunk.report : null;
  const trouble = run.result.scenarioError;
  const rerun = trouble === null ? null : runCommandLine({ source: planned.source, variant: planned.variant, seed: trouble.seed, faults: context.faults, workloadSeed: trouble.workloadSeed, sizes: context.sizes });
  return sweepEntry({
    result: run.result,
    expectMode: context.expect,
    budget: planned.budget,
    stopsAtFirstDivergence: planned.stopsAtFirstDivergence,
    shard: context.shard,
    faults: context.faults,
    workloadSeed: context.workloadSeed,
    replayFileOf: (seed) => {
      const replayFile = swept.replayFiles.get(seed);
      assert(replayFile !== undefined, `no replay file was written for seed ${seed}, which first broke an invariant`);
      return replayFile;
    },
    firstDivergence: first === null ? null : {
      seed: first.result.seed,
      violations: first.result.violations,
      replay: `dsim replay ${first.replayFile}`,
      replayFile: first.replayFile,
      shrunk,
      page: pagePath(shrunk?.shrunkFile ?? first.replayFile),
    },
    scenarioErrorRun: rerun,
    lostReplayFile: lost?.replayFile ?? null,
    determinism: run.determinism,
    wallSeconds: context.wallSeconds,
  });
}

/** The failure page of a variant's first divergence: of its shrunk execution where shrinking ran. */
function pageOf(swept: VariantSweep): VariantDone["page"] {
  const first = swept.firstDivergence;
  if (first === null) return null;
  if (first.shrunk?.kind !== "shrunk") {
    return { replayFile: first.replayFile, input: { result: first.result, reference: first.reference.logical, replay: `dsim replay ${first.replayFile}`, ...(first.faults === null ? {} : { faults: first.faults }) } };
  }
  const { report, shrunk, reference, faults } = first.shrunk;
  const { faultsBefore, faultsAfter, eventsBefore, eventsAfter, invariant } = report;
  return {
    replayFile: report.shrunkFile,
    input: { result: shrunk, reference: reference.logical, replay: report.replay, shrunk: { faultsBefore, faultsAfter, eventsBefore, eventsAfter, invariant }, faults },
  };
}
