// Same hashes in a worker thread as in the main thread: the CLI runs every execution on a worker,
// so a seed must mean the same there. (Apart from determinism.test.ts: a test that starts a thread
// is left out of the mutation run, whose mutant that thread cannot see; see vitest.mutation.config.ts.)

import { Worker } from "node:worker_threads";
import { describe, expect, test } from "vitest";
import { execute } from "../../src/index.ts";
import delivery from "../../scenarios/delivery.ts";

describe("determinism across threads", () => {
  test("same hashes in worker threads as in the main thread", async () => {
    const inWorker = (seed: number) =>
      new Promise<{ physicalHash: string; logicalHash: string }>((resolve, reject) => {
        const worker = new Worker(new URL("../fixtures/tsWorker.mjs", import.meta.url), {
          workerData: { entry: new URL("../fixtures/hashWorker.ts", import.meta.url).href, variant: "sum", seed },
        });
        worker.once("message", resolve);
        worker.once("error", reject);
      });
    for (const seed of [7, 8]) {
      const here = execute({ scenario: delivery, variant: "sum", seed, faults: "swarm" });
      expect(await inWorker(seed)).toEqual({ physicalHash: here.physicalHash, logicalHash: here.logicalHash });
    }
  });
});
