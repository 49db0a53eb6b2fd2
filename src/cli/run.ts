// `dsim run`: one execution of (scenario, variant, seed), its verdict, and on a divergence a
// replay file under the output folder.

import type { ExecutionLimits } from "../scenario.ts";
import { canonicalJson } from "../trace/hash.ts";
import { execute, type ExecutionResult } from "../explore/execute.ts";
import { findVariant } from "../explore/execute.ts";
import { loadScenario } from "../explore/scenarios.ts";
import { replayOf, replayPath, writeReplayFile } from "../report/replayFile.ts";
import type { Io } from "./io.ts";
import { parseFaults } from "./options.ts";
import { describeEvent } from "../trace/text.ts";

export interface RunOptions {
  readonly scenario: string;
  readonly variant: string | undefined;
  readonly seed: number;
  readonly faults: string;
  readonly workloadSeed: number;
  readonly limits: Partial<ExecutionLimits>;
  readonly out: string;
  readonly json: boolean;
  readonly trace: boolean;
}

export async function runCommand(options: RunOptions, io: Io): Promise<number> {
  const scenario = await loadScenario(options.scenario);
  const variant = options.variant ?? scenario.variants[0]!.name;
  findVariant(scenario, variant);
  const faults = parseFaults(options.faults);
  const result = execute({ scenario, variant, seed: options.seed, workloadSeed: options.workloadSeed, faults, limits: options.limits });
  const replay = runCommandLine(options, variant);
  let replayFile: string | undefined;
  if (result.verdict === "diverges") {
    replayFile = replayPath(options.out, result);
    writeReplayFile(replayFile, replayOf(result, options.scenario));
  }
  if (options.json) {
    io.out(JSON.stringify({ ...executionJson(result, options.faults), replay, replayFile: replayFile ?? null, ...(options.trace ? { trace: result.trace } : {}) }, null, 2));
  } else {
    if (options.trace) for (const event of result.trace) io.out(describeEvent(event));
    printExecution(io, result, options.faults);
    io.out(`  replay: ${replay}`);
    if (replayFile !== undefined) io.out(`  replay file: ${replayFile}`);
  }
  return result.verdict === "diverges" ? 1 : 0;
}

export function runCommandLine(options: Pick<RunOptions, "scenario" | "seed" | "faults" | "workloadSeed">, variant: string): string {
  const workload = options.workloadSeed === 0 ? "" : ` --workload-seed ${options.workloadSeed}`;
  return `dsim run ${options.scenario} --variant ${variant} --seed ${options.seed} --faults ${options.faults}${workload}`;
}

export function executionJson(result: ExecutionResult, faults: string) {
  return {
    scenario: result.scenario,
    variant: result.variant,
    seed: result.seed,
    workloadSeed: result.workloadSeed,
    faults,
    faultProfile: result.faults,
    physicalHash: result.physicalHash,
    logicalHash: result.logicalHash,
    logical: result.logical,
    events: result.events,
    endReason: result.endReason,
    endedAtMs: result.endedAtMs,
    verdict: result.verdict,
    violations: result.violations,
  };
}

export function printExecution(io: Io, result: ExecutionResult, faults: string): void {
  const { color } = io;
  const verdict = result.verdict === "holds" ? color.green("holds") : color.red.bold("DIVERGES");
  io.out(`${result.scenario}/${result.variant} seed ${result.seed} faults ${faults}: ${verdict}`);
  io.out(color.dim(`  physical ${result.physicalHash}  logical ${result.logicalHash}  ${result.events} events  ended ${result.endReason} at ${result.endedAtMs} ms`));
  io.out(`  logical trace: ${canonicalJson(result.logical)}`);
  for (const violation of result.violations) io.out(color.red(`  ✗ ${violation.invariant}: ${violation.message}`));
}
