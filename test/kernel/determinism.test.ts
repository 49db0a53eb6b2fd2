// Determinism is the product: no ambient time or randomness in src/ or scenarios/ (a scan), a
// runtime guard that catches what the scan cannot see, and same hashes across worker threads.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, test } from "vitest";
import { defineNode, defineScenario, execute } from "../../src/index.ts";
import delivery from "../../scenarios/delivery.ts";

const FORBIDDEN = /Math\.random|Date\.now|new Date\(|performance\.now|setTimeout|setInterval|setImmediate|process\.hrtime|crypto\.getRandomValues|randomUUID/;
/** Outside the simulation path: the CLI's timing and the benchmarks. */
const EXEMPT = /^src\/(cli|bench)\//;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(name) ? [path] : [];
  });
}

describe("determinism", () => {
  test("src/ and scenarios/ use no ambient time, randomness or real timers", () => {
    const offenders: string[] = [];
    for (const file of [...sourceFiles("src"), ...sourceFiles("scenarios")]) {
      if (EXEMPT.test(file) || file === "src/kernel/guard.ts") continue;
      readFileSync(file, "utf8").split("\n").forEach((line, index) => {
        if (FORBIDDEN.test(line) && !line.includes("determinism-ok")) offenders.push(`${file}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  test("the scan would catch an offender", () => {
    expect(FORBIDDEN.test("const x = Math.random();")).toBe(true);
    expect(FORBIDDEN.test("ctx.random.next()")).toBe(false);
  });

  test("a scenario that reaches for ambient randomness or time is reported, not passed", () => {
    const cheats = {
      "math-random": () => Math.random(),
      "date-now": () => Date.now(),
      "new-date": () => new Date().getTime(),
      "set-timeout": () => setTimeout(() => {}, 1),
    };
    for (const [name, cheat] of Object.entries(cheats)) {
      const scenario = defineScenario({
        name: `cheat-${name}`,
        description: "reaches outside the seed",
        variants: [{ name: "default", expect: "holds", description: "" }],
        workload: () => null,
        nodes: () => ({ a: defineNode({ init: () => ({}), start: () => void cheat() }) }),
        project: () => null,
      });
      const result = execute({ scenario, variant: "default", seed: 1, faults: "none" });
      expect(result.verdict).toBe("diverges");
      expect(result.violations[0]!.invariant).toBe("determinism");
    }
    expect(typeof Math.random()).toBe("number");
    expect(typeof Date.now()).toBe("number");
  });

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
