// Module-level randomness: a scenario file whose top level draws ambient randomness or time is a
// different scenario each time it loads (in each worker thread, in each replay). The guard cannot
// see that while an execution runs: the value was drawn before. So a scenario file is loaded here
// while ambient calls are recorded, then loaded again, fresh, in a worker thread of its own, and
// the two loads' definition fingerprints (definitionFingerprint.ts) are compared. A difference is
// non-determinism (exit 3), naming the ambient call and its line when one was recorded.
//
// Once per `dsim` command that loads a scenario file (a worker's start-up, ~0.2 s), never per seed.
// The built-in scenarios are imported statically by the CLI and kept free of ambient calls by the
// source scan of test/kernel/determinism.test.ts.

import { NondeterminismError } from "../core/errors.ts";
import type { Scenario } from "../core/scenario.ts";
import { defaultWatchdogLimits } from "../execution/lost.ts";
import { recordingAmbientCalls } from "../kernel/guard.ts";
import { definitionFingerprint, fingerprintDifference } from "./definitionFingerprint.ts";
import { importScenario, type ScenarioModule } from "./loader.ts";
import { withWorkerPool } from "./workers/pool.ts";

/** Imports a scenario file and checks that a second, fresh load of it is the same scenario. */
export async function importStableScenario(module: ScenarioModule, source: string): Promise<Scenario<any>> {
  return withWorkerPool(1, defaultWatchdogLimits(1), async (pool) => {
    const second = pool.run({ kind: "fingerprint", scenario: module, source });
    second.catch(() => undefined); // awaited below, unless this thread's load fails first
    const { value: scenario, ambient } = await recordingAmbientCalls(() => importScenario(module, source));
    const here = definitionFingerprint(scenario);
    const { reply } = await second;
    if (reply.kind !== "fingerprint") throw new Error(`a worker answered a fingerprint with '${reply.kind}'`);
    const difference = fingerprintDifference(here, reply.fingerprint);
    if (difference !== undefined) {
      const cause = ambient === undefined ? "it draws ambient randomness or time when its module loads" : `it called ${ambient.what} when its module loaded (at ${ambient.frame})`;
      throw new NondeterminismError(`${source} is a different scenario each time it loads: ${difference}; ${cause}. Draw from the workload's random or ctx.random instead`);
    }
    return scenario;
  });
}
