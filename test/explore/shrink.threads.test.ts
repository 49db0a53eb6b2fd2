// Shrinking gives the same result in a worker thread as in the main thread (the CLI shrinks on
// one). Apart from shrink.test.ts: a test that starts a thread is left out of the mutation run,
// whose mutant that thread cannot see (vitest.mutation.config.ts).

import { Worker } from "node:worker_threads";
import { expect, it } from "vitest";
import { tapeToJson } from "../../src/core/tape.ts";
import { execute } from "../../src/execution/execute.ts";
import { shrink } from "../../src/explore/shrink/shrink.ts";
import { parseFaultProfile } from "../../src/world/faults.ts";
import twoPhaseCommit from "../fixtures/twoPhaseCommit.ts";

/** Drops and crashes only (shrink.test.ts's profile): the fixture's failure needs two faults. */
const TWO_PHASE_FAULTS = parseFaultProfile(
  { base: "heavy", latencyJitterMs: 0, delayProbability: 0, duplicateProbability: 0, partitionProbability: 0, clockSkewProbability: 0, tornWriteProbability: 0 },
  "two-phase-commit test",
);

it("shrinks the same way in a worker thread", async () => {
  const seed = [...Array(200).keys()].find((candidate) => execute({ scenario: twoPhaseCommit, variant: "forgetful", seed: candidate, faults: TWO_PHASE_FAULTS }).verdict === "diverges")!;
  expect(seed).toBeDefined();
  const here = shrink({ scenario: twoPhaseCommit, variant: "forgetful", seed, faults: TWO_PHASE_FAULTS });
  const there = await new Promise((resolve, reject) => {
    const worker = new Worker(new URL("../fixtures/tsWorker.mjs", import.meta.url), {
      workerData: { entry: new URL("../fixtures/shrinkWorker.ts", import.meta.url).href, seed, faults: TWO_PHASE_FAULTS },
    });
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  expect(there).toEqual({ schedule: tapeToJson(here.shrunk.tape), physicalHash: here.shrunk.result.physicalHash, sizes: here.shrunk.result.sizes, executions: here.executions });
});
