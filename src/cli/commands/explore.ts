// `dsim explore <scenario>`: search the schedules of a scenario instead of sampling seeds, for one
// variant or each of them. Two modes:
//   --exhaustive      every schedule of a small scenario (each drop, duplicate and delivery order):
//                     schedules, distinct states, logical outcomes with counts, a replay file per
//                     divergent outcome;
//   --max-faults K    breadth-first over the schedule tape's fault decisions, fewest faults first:
//                     the shortest counterexample with at most K faults (its replay file), or how
//                     far it searched without finding one.
// Each search runs on a worker under the watchdog: one whose execution hangs or runs out of heap
// is reported as such (exit 1).

import { UsageError } from "../../core/errors.ts";
import { checkWritableFolder } from "../../core/files.ts";
import { DSIM_VERSION } from "../../core/version.ts";
import type { LostExecution } from "../../execution/lost.ts";
import { findVariant } from "../../execution/spec.ts";
import { DEFAULT_BOUNDED_EXECUTIONS_MAX, DEFAULT_BOUNDED_FAULTS, type BoundedRequest } from "../../explore/bounded.ts";
import type { BoundedReport } from "../../explore/boundedReport.ts";
import { DEFAULT_DEPTH_MAX, DEFAULT_EXECUTIONS_MAX, DEFAULT_STATES_MAX, type ExhaustiveRequest } from "../../explore/exhaustive.ts";
import type { ExplorationReport } from "../../explore/explorationReport.ts";
import type { LoadedScenario } from "../../explore/plan.ts";
import { boundedOnPool, exploreOnPool } from "../../explore/workers/onPool.ts";
import { withWorkerPool, type WorkerPool } from "../../explore/workers/pool.ts";
import { removeOwnTemporaryFiles } from "../../report/outFolder.ts";
import { defineCommand } from "../command.ts";
import { EXIT_DIVERGES, EXIT_HOLDS, EXIT_UNKNOWN } from "../exitCodes.ts";
import { onInterrupt } from "../interrupt.ts";
import { EXECUTION_OPTIONS, JSON_OPTION, limitsOf, OUT_OPTION, parseFaults, parseNonNegativeInteger, parsePositiveInteger, parseSizes, WATCHDOG_OPTIONS, watchdogOf, type WatchdogArgs } from "../options.ts";
import { loadScenario } from "../registry.ts";
import { reportersFor, textReporter, type Reporter } from "../reporters/index.ts";

export const exploreCommand = defineCommand({
  command: "explore <scenario>",
  describe: "Search a scenario's schedules: every one (--exhaustive), or the fewest faults that break it (--max-faults K)",
  builder: (yargs) =>
    yargs
      .positional("scenario", { type: "string", describe: "a built-in scenario's name or a scenario file's path", demandOption: true })
      .option("exhaustive", { type: "boolean", default: false, describe: "every schedule: each drop, duplicate and delivery order" })
      .option("max-faults", { type: "string", describe: "breadth-first over fault decisions, up to K faults: the shortest counterexample" })
      .option("variant", { type: "string", describe: "one variant (default: every variant)" })
      .option("seed", { type: "string", describe: "--max-faults: the seed of the nodes' own random streams (default 0)" })
      .option("faults", { type: "string", describe: `--max-faults: which fault kinds are on, and when (default ${DEFAULT_BOUNDED_FAULTS}; a name or a .json file)` })
      .option("invariant", { type: "string", describe: "--max-faults: the invariant a counterexample must break (default: any divergence)" })
      .option("max-depth", { type: "string", default: String(DEFAULT_DEPTH_MAX), describe: "--exhaustive: choices per schedule before it is cut" })
      .option("max-states", { type: "string", default: String(DEFAULT_STATES_MAX), describe: "--exhaustive: distinct states before the search stops" })
      .option("max-executions", { type: "string", describe: `executions before the search stops (default ${DEFAULT_EXECUTIONS_MAX} exhaustive, ${DEFAULT_BOUNDED_EXECUTIONS_MAX} with --max-faults)` })
      .option("drops-max", { type: "string", describe: "--exhaustive: drops per schedule (default: unbounded; 0: no drops)" })
      .option("duplicates", { type: "boolean", default: false, describe: "--exhaustive: the network may duplicate each message once" })
      .option("duplicates-max", { type: "string", describe: "--exhaustive: duplicates per schedule (implies --duplicates)" })
      .option("workload-seed", EXECUTION_OPTIONS["workload-seed"])
      .option("size", EXECUTION_OPTIONS.size)
      .option("events-max", EXECUTION_OPTIONS["events-max"])
      .option("time-max-ms", EXECUTION_OPTIONS["time-max-ms"])
      .options(WATCHDOG_OPTIONS)
      .option("out", OUT_OPTION)
      .option("json", JSON_OPTION)
      .example("dsim explore delivery --exhaustive --variant append", "the 326 schedules of the design brief")
      .example("dsim explore delivery --exhaustive --size messages=3 --drops-max 1 --duplicates-max 1", "retries, duplicates, one drop")
      .example("dsim explore idempotency --variant dedup-in-memory --max-faults 3", "the fewest faults (drops, crashes, partitions...) that break it")
      .example("dsim explore consensus --variant vote-twice --max-faults 2 --size clients=1 --size operations=1 --invariant election-safety", "a small Raft, two faults at most"),
  async run(args, io) {
    if (args.exhaustive === (args.maxFaults !== undefined)) {
      throw new UsageError("explore needs one of --exhaustive (every schedule) or --max-faults K (the fewest faults that break it)");
    }
    const loaded = await loadScenario(args.scenario);
    const { scenario } = loaded;
    const variants = args.variant === undefined ? scenario.variants.map((variant) => variant.name) : [findVariant(scenario, args.variant).name];
    const reporter = reportersFor([textReporter(args.json)], { io });
    const common = {
      workloadSeed: parseNonNegativeInteger("workload-seed", args.workloadSeed),
      sizes: parseSizes(args.size),
      limits: limitsOf(args),
    };
    const one = args.variant !== undefined;
    if (args.maxFaults !== undefined) {
      for (const name of ["drops-max", "duplicates-max"] as const) if (args[name] !== undefined) throw new UsageError(`--${name} is for --exhaustive; --max-faults bounds every fault kind together`);
      const request = {
        ...common,
        faultsMax: parseNonNegativeInteger("max-faults", args.maxFaults),
        seed: args.seed === undefined ? 0 : parseNonNegativeInteger("seed", args.seed),
        faults: parseFaults(args.faults ?? DEFAULT_BOUNDED_FAULTS),
        executionsMax: args.maxExecutions === undefined ? DEFAULT_BOUNDED_EXECUTIONS_MAX : parsePositiveInteger("max-executions", args.maxExecutions),
        ...(args.invariant === undefined ? {} : { invariant: args.invariant }),
      };
      checkWritableFolder(args.out, `--out '${args.out}'`, false);
      return onWorkers(args, args.out, (pool) => exploreBounded(pool, loaded, variants, request, { out: args.out, one, reporter }));
    }
    for (const name of ["seed", "faults", "invariant"] as const) if (args[name] !== undefined) throw new UsageError(`--${name} is for --max-faults; --exhaustive has its own fault profile (drops, duplicates, order)`);
    const optional = (name: string, raw: string | undefined) => (raw === undefined ? undefined : parseNonNegativeInteger(name, raw));
    const base = {
      ...common,
      dropsMax: optional("drops-max", args.dropsMax),
      duplicates: args.duplicates || args.duplicatesMax !== undefined,
      duplicatesMax: optional("duplicates-max", args.duplicatesMax),
      depthMax: parsePositiveInteger("max-depth", args.maxDepth),
      statesMax: parsePositiveInteger("max-states", args.maxStates),
      executionsMax: args.maxExecutions === undefined ? DEFAULT_EXECUTIONS_MAX : parsePositiveInteger("max-executions", args.maxExecutions),
    };
    checkWritableFolder(args.out, `--out '${args.out}'`, false);
    return onWorkers(args, args.out, async (pool) => {
      const reports: ExplorationReport[] = [];
      for (const variant of variants) {
        const request: Omit<ExhaustiveRequest, "scenario"> = { ...base, variant };
        const outcome = await exploreOnPool(pool, { scenario: loaded.module, source: loaded.source, request, out: args.out });
        if (outcome.kind === "lost") return lostSearch(reporter, scenario.name, variant, outcome.lost);
        reporter.exploration(outcome.report);
        reports.push(outcome.report);
      }
      const divergentOutcomes = reports.reduce((total, report) => total + report.divergentOutcomes, 0);
      reporter.explorationEnd(one ? reports[0] : { dsimVersion: DSIM_VERSION, scenario: loaded.source, divergentOutcomes, explorations: reports });
      return divergentOutcomes === 0 ? EXIT_HOLDS : EXIT_DIVERGES;
    });
  },
});

/** Runs the searches on a worker; the worker writes the replay files: an interruption must not leave their temporary files. */
async function onWorkers(args: WatchdogArgs, out: string, search: (pool: WorkerPool) => Promise<number>): Promise<number> {
  const forgetInterrupt = onInterrupt(() => removeOwnTemporaryFiles(out));
  try {
    return await withWorkerPool(1, watchdogOf(args, 1), search);
  } finally {
    forgetInterrupt();
  }
}

/** A search whose execution hung or ran out of heap: reported as such, exit 1. */
function lostSearch(reporter: Required<Reporter>, scenario: string, variant: string, lost: LostExecution): number {
  reporter.lost({ what: `exploration of ${scenario}/${variant}`, scenario, variant, seed: null, faults: null, lost, replay: null, replayFile: null });
  return EXIT_DIVERGES;
}

interface BoundedSettings {
  readonly out: string;
  readonly one: boolean;
  readonly reporter: Required<Reporter>;
}

/** Each variant's bounded search. Exit 1: one diverges (or an execution hung); 5: none does, but a search was cut short; 0: none does. */
async function exploreBounded(
  pool: WorkerPool, loaded: LoadedScenario, variants: readonly string[], base: Omit<BoundedRequest, "variant" | "scenario"> & { readonly seed: number }, settings: BoundedSettings,
): Promise<number> {
  const reports: BoundedReport[] = [];
  for (const variant of variants) {
    const outcome = await boundedOnPool(pool, { scenario: loaded.module, source: loaded.source, request: { ...base, variant }, out: settings.out });
    if (outcome.kind === "lost") return lostSearch(settings.reporter, loaded.scenario.name, variant, outcome.lost);
    settings.reporter.boundedSearch(outcome.report);
    reports.push(outcome.report);
  }
  settings.reporter.explorationEnd(settings.one ? reports[0] : { dsimVersion: DSIM_VERSION, scenario: loaded.source, mode: "bounded", explorations: reports });
  if (reports.some((report) => report.verdict === "diverges")) return EXIT_DIVERGES;
  return reports.every((report) => report.verdict === "holds") ? EXIT_HOLDS : EXIT_UNKNOWN;
}
