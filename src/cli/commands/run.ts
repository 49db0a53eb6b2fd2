// `dsim run`: one execution of (scenario, variant, seed), its verdict, and on a divergence a
// replay file under the output folder. A scenario that breaks (not JSON at the boundary, ambient
// time or randomness, a reference that breaks its own invariants) gets no verdict: one line on
// stderr and exit 3 or 4 (cli/exitCodes.ts). The execution runs on a worker thread under the
// watchdog: one that hangs or runs out of heap is reported as such (exit 1), with a replay file
// that replays the same way.

import { checkWritableFolder } from "../../core/files.ts";
import type { Sizes } from "../../core/scenario.ts";
import { lostReplayOf, replayOf, replayPath, writeReplayFile } from "../../execution/replayFile.ts";
import { sizesOfExecution } from "../../execution/sizes.ts";
import { findVariant, resolveLimits } from "../../execution/spec.ts";
import { executeOnPool } from "../../explore/workers/onPool.ts";
import { withWorkerPool } from "../../explore/workers/pool.ts";
import { resolveFaults } from "../../world/faults.ts";
import { defineCommand } from "../command.ts";
import { EXIT_DIVERGES, EXIT_HOLDS } from "../exitCodes.ts";
import { EXECUTION_OPTIONS, executionSettingsOf, JSON_OPTION, OUT_OPTION, parseNonNegativeInteger, TRACE_OPTION, WATCHDOG_OPTIONS, watchdogOf } from "../options.ts";
import { loadScenario } from "../registry.ts";
import { TYPECHECK_OPTION, typecheckBeforeRunning } from "../typecheckScenario.ts";
import { reportersFor, textReporter } from "../reporters/index.ts";

export const runCommand = defineCommand({
  command: "run <scenario>",
  describe: "Run one execution and check it against the reference",
  builder: (yargs) =>
    yargs
      .positional("scenario", { type: "string", describe: "a built-in scenario's name or a scenario file's path", demandOption: true })
      .option("variant", { type: "string", describe: "the variant (default: the scenario's first)" })
      .option("seed", { type: "string", demandOption: true, describe: "the seed: a non-negative integer" })
      .options(EXECUTION_OPTIONS)
      .options(WATCHDOG_OPTIONS)
      .option("out", OUT_OPTION)
      .option("json", JSON_OPTION)
      .option("trace", TRACE_OPTION)
      .option("typecheck", TYPECHECK_OPTION)
      .example("dsim run delivery --variant sum --seed 7", "one execution under swarm faults")
      .example("dsim run delivery --variant sum --size messages=3 --seed 4", "at a smaller size")
      .example("dsim run ./my-scenario.ts --seed 3 --faults heavy --trace", "a scenario of your own, with its trace")
      .example("dsim run ./my-scenario.ts --seed 3 --execution-timeout-ms 5000", "report the seed 'hung' if it runs past 5 s"),
  async run(args, io) {
    if (args.typecheck) await typecheckBeforeRunning(args.scenario, io);
    const { source, module, scenario } = await loadScenario(args.scenario);
    const variant = args.variant ?? scenario.variants[0]!.name;
    findVariant(scenario, variant);
    const seed = parseNonNegativeInteger("seed", args.seed);
    const settings = executionSettingsOf(args);
    const watchdog = watchdogOf(args, 1);
    checkWritableFolder(args.out, `--out '${args.out}'`, false);
    const reporter = reportersFor([textReporter(args.json)], { io });
    const outcome = await withWorkerPool(1, watchdog, (pool) => executeOnPool(pool, { scenario: module, source, variant, ...settings, varyWorkload: false }, seed, null));
    if (outcome.kind === "lost") {
      const replayFile = replayPath(args.out, { scenario: scenario.name, variant, seed });
      const resolved = { sizes: sizesOfExecution(scenario, settings.sizes, settings.faults, seed), faults: resolveFaults(settings.faults, seed), limits: resolveLimits(scenario, settings.limits) };
      writeReplayFile(replayFile, lostReplayOf({ ...outcome.lost, scenario: source, variant, seed, workloadSeed: settings.workloadSeed, ...resolved, watchdog }));
      reporter.lost({ what: `${scenario.name}/${variant} seed ${seed}`, scenario: scenario.name, variant, seed, faults: args.faults, lost: outcome.lost, replay: `dsim replay ${replayFile}`, replayFile });
      return EXIT_DIVERGES;
    }
    const { result } = outcome;
    let replayFile: string | null = null;
    if (result.verdict === "diverges") {
      replayFile = replayPath(args.out, result);
      writeReplayFile(replayFile, replayOf(result, source));
    }
    const replay = runCommandLine({ source, variant, seed, faults: args.faults, workloadSeed: settings.workloadSeed, sizes: settings.sizes });
    reporter.execution({ result, faults: args.faults, replay, replayFile, trace: args.trace });
    return result.verdict === "diverges" ? EXIT_DIVERGES : EXIT_HOLDS;
  },
});

/** The `dsim run` command line of one execution (how the user named the scenario and the faults). */
export function runCommandLine(execution: { readonly source: string; readonly variant: string; readonly seed: number; readonly faults: string; readonly workloadSeed: number; readonly sizes: Sizes }): string {
  const sizes = Object.entries(execution.sizes).map(([name, value]) => ` --size ${name}=${value}`).join("");
  const workload = execution.workloadSeed === 0 ? "" : ` --workload-seed ${execution.workloadSeed}`;
  return `dsim run ${execution.source} --variant ${execution.variant} --seed ${execution.seed} --faults ${execution.faults}${workload}${sizes}`;
}
