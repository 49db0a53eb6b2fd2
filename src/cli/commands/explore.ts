// `dsim explore <scenario> --exhaustive`: every schedule of a small scenario, for one variant or
// each of them. Reports schedules, distinct states and distinct logical outcomes (with counts), and
// writes one replay file (carrying the schedule) per divergent outcome.

import { UsageError } from "../../core/errors.ts";
import { DSIM_VERSION } from "../../core/version.ts";
import { findVariant } from "../../execution/spec.ts";
import { checkWritableFolder } from "../../core/files.ts";
import { DEFAULT_DEPTH_MAX, DEFAULT_EXECUTIONS_MAX, DEFAULT_STATES_MAX } from "../../explore/exhaustive.ts";
import type { ExplorationReport } from "../../explore/explorationReport.ts";
import { exploreOnPool } from "../../explore/workers/onPool.ts";
import { withWorkerPool } from "../../explore/workers/pool.ts";
import { removeOwnTemporaryFiles } from "../../report/outFolder.ts";
import { defineCommand } from "../command.ts";
import { EXIT_DIVERGES, EXIT_HOLDS } from "../exitCodes.ts";
import { onInterrupt } from "../interrupt.ts";
import { EXECUTION_OPTIONS, JSON_OPTION, limitsOf, OUT_OPTION, parseNonNegativeInteger, parsePositiveInteger, parseSizes, WATCHDOG_OPTIONS, watchdogOf } from "../options.ts";
import { loadScenario } from "../registry.ts";
import { reportersFor, textReporter } from "../reporters/index.ts";

export const exploreCommand = defineCommand({
  command: "explore <scenario>",
  describe: "Enumerate every schedule of a small scenario and count its logical outcomes",
  builder: (yargs) =>
    yargs
      .positional("scenario", { type: "string", describe: "a built-in scenario's name or a scenario file's path", demandOption: true })
      .option("exhaustive", { type: "boolean", default: false, describe: "every schedule: each drop, duplicate and delivery order" })
      .option("variant", { type: "string", describe: "one variant (default: every variant)" })
      .option("max-depth", { type: "string", default: String(DEFAULT_DEPTH_MAX), describe: "choices per schedule before it is cut" })
      .option("max-states", { type: "string", default: String(DEFAULT_STATES_MAX), describe: "distinct states before the search stops" })
      .option("max-executions", { type: "string", default: String(DEFAULT_EXECUTIONS_MAX), describe: "executions before the search stops" })
      .option("drops-max", { type: "string", describe: "drops per schedule (default: unbounded; 0: no drops)" })
      .option("duplicates", { type: "boolean", default: false, describe: "the network may duplicate each message once" })
      .option("duplicates-max", { type: "string", describe: "duplicates per schedule (implies --duplicates)" })
      .option("workload-seed", EXECUTION_OPTIONS["workload-seed"])
      .option("size", EXECUTION_OPTIONS.size)
      .option("events-max", EXECUTION_OPTIONS["events-max"])
      .option("time-max-ms", EXECUTION_OPTIONS["time-max-ms"])
      .options(WATCHDOG_OPTIONS)
      .option("out", OUT_OPTION)
      .option("json", JSON_OPTION)
      .example("dsim explore delivery --exhaustive --variant append", "the 326 schedules of the design brief")
      .example("dsim explore delivery --exhaustive --size messages=3 --drops-max 1 --duplicates-max 1", "retries, duplicates, one drop"),
  async run(args, io) {
    if (!args.exhaustive) throw new UsageError("explore needs --exhaustive (the only exploration mode so far; `dsim sweep` samples seeds)");
    const { source, module, scenario } = await loadScenario(args.scenario);
    const variants = args.variant === undefined ? scenario.variants.map((variant) => variant.name) : [findVariant(scenario, args.variant).name];
    const reporter = reportersFor([textReporter(args.json)], { io });
    const optional = (name: string, raw: string | undefined) => (raw === undefined ? undefined : parseNonNegativeInteger(name, raw));
    const base = {
      workloadSeed: parseNonNegativeInteger("workload-seed", args.workloadSeed),
      sizes: parseSizes(args.size),
      limits: limitsOf(args),
      dropsMax: optional("drops-max", args.dropsMax),
      duplicates: args.duplicates || args.duplicatesMax !== undefined,
      duplicatesMax: optional("duplicates-max", args.duplicatesMax),
      depthMax: parsePositiveInteger("max-depth", args.maxDepth),
      statesMax: parsePositiveInteger("max-states", args.maxStates),
      executionsMax: parsePositiveInteger("max-executions", args.maxExecutions),
    };
    checkWritableFolder(args.out, `--out '${args.out}'`, false);
    const reports: ExplorationReport[] = [];
    // The worker writes the replay files: an interruption must not leave their temporary files.
    const forgetInterrupt = onInterrupt(() => removeOwnTemporaryFiles(args.out));
    const lost = await withWorkerPool(1, watchdogOf(args, 1), async (pool) => {
      for (const variant of variants) {
        const outcome = await exploreOnPool(pool, { scenario: module, source, request: { ...base, variant }, out: args.out });
        if (outcome.kind === "lost") return { variant, lost: outcome.lost };
        reporter.exploration(outcome.report);
        reports.push(outcome.report);
      }
      return null;
    }).finally(forgetInterrupt);
    if (lost !== null) {
      reporter.lost({ what: `exploration of ${scenario.name}/${lost.variant}`, scenario: scenario.name, variant: lost.variant, seed: null, faults: null, lost: lost.lost, replay: null, replayFile: null });
      return EXIT_DIVERGES;
    }
    const divergentOutcomes = reports.reduce((total, report) => total + report.divergentOutcomes, 0);
    reporter.explorationEnd(args.variant !== undefined ? reports[0] : { dsimVersion: DSIM_VERSION, scenario: source, divergentOutcomes, explorations: reports });
    return divergentOutcomes === 0 ? EXIT_HOLDS : EXIT_DIVERGES;
  },
});
