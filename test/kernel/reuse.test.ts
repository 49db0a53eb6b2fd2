// What one execution leaves behind in its thread never reaches the next. The kernel keeps one
// thing from execution to execution: the random streams' mashed seed prefix (core/random.ts), a
// one-seed cache. Seeds run A, B, A give A's hashes both times and B's as when B runs first; a
// sweep gives every seed the hashes it has when run on its own.

import { describe, expect, test } from "vitest";
import { execute, sweep } from "../../src/index.ts";
import delivery from "../../scenarios/delivery.ts";
import { scenarios } from "../../scenarios/index.ts";

const crdt = scenarios.find((scenario) => scenario.name === "crdt")!;

function hashes(scenario: typeof delivery, variant: string, seed: number): readonly string[] {
  const result = execute({ scenario, variant, seed, faults: "swarm" });
  return [result.physicalHash, result.logicalHash, result.verdict];
}

describe("executions one after another in a thread", () => {
  test("seed A, seed B, seed A: each seed's hashes whatever ran before it", () => {
    for (const [scenario, variant] of [[delivery, "retry-set"], [delivery, "append"], [crdt, crdt.variants[0]!.name]] as const) {
      for (const [seedA, seedB] of [[3, 4], [17, 1017], [0, 2 ** 31 - 1]] as const) {
        const firstA = hashes(scenario, variant, seedA);
        const afterA = hashes(scenario, variant, seedB);
        const againA = hashes(scenario, variant, seedA);
        const aloneB = hashes(scenario, variant, seedB);
        expect(againA).toEqual(firstA);
        expect(aloneB).toEqual(afterA);
      }
    }
  });

  test("a sweep gives every seed the hashes it has run on its own, in any order", () => {
    const seeds = [5, 6, 7, 8, 9];
    const swept = sweep({ scenario: delivery, variant: "sum", seedFrom: 5, seedCount: seeds.length, faults: "swarm" }).outcomes.map((outcome) => outcome.physicalHash);
    const alone = [...seeds].reverse().map((seed) => hashes(delivery, "sum", seed)[0]).reverse();
    expect(swept).toEqual(alone);
    expect(new Set(swept).size).toBe(seeds.length);
  });
});
