// Swarm over sizes: a size a scenario declares variable (`swarm: { min, max }`) is drawn per seed
// under swarm faults, unless the user set it; the result and the replay file record what was drawn,
// and a replay runs at it.

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { defineNode, defineScenario, execute } from "../../src/index.ts";
import { runCli, temporaryFolder } from "../fixtures/cli.ts";
import { consensus } from "../../scenarios/consensus/index.ts";

const counter = defineScenario<null>({
  name: "counter",
  description: "a node that counts to its size",
  variants: [{ name: "default", expect: "holds", description: "" }],
  sizes: {
    count: { default: 2, min: 1, max: 10, description: "how far to count", swarm: { min: 3, max: 6 } },
    fixed: { default: 1, min: 1, max: 3, description: "never drawn" },
  },
  workload: () => null,
  nodes: ({ sizes }) => ({ a: defineNode<{ count: number }>({ init: () => ({ count: sizes.count! }) }) }),
  project: (view) => view.state<{ count: number }>("a").count,
});

describe("sizes drawn per seed", () => {
  test("under swarm each seed draws a variable size in its range; the others keep their default", () => {
    const drawn = Array.from({ length: 40 }, (_, seed) => execute({ scenario: counter, variant: "default", seed, faults: "swarm" }));
    const counts = new Set(drawn.map((result) => result.sizes.count));
    expect([...counts].sort()).toEqual([3, 4, 5, 6]);
    expect(drawn.every((result) => result.sizes.fixed === 1 && result.logical === result.sizes.count)).toBe(true);
    // A pure function of the seed.
    expect(execute({ scenario: counter, variant: "default", seed: 7, faults: "swarm" }).sizes).toEqual(drawn[7]!.sizes);
  });

  test("a size the user set is not drawn; without swarm nothing is", () => {
    for (let seed = 0; seed < 10; seed++) {
      expect(execute({ scenario: counter, variant: "default", seed, faults: "swarm", sizes: { count: 9 } }).sizes.count).toBe(9);
      expect(execute({ scenario: counter, variant: "default", seed, faults: "heavy" }).sizes.count).toBe(2);
    }
  });

  test("the built-in Raft draws its batch size; a run holds at it, the replay file records it and the replay matches", async () => {
    const held = JSON.parse((await runCli(["run", "consensus", "--seed", "3", "--faults", "swarm", "--json", "--out", temporaryFolder()])).stdout);
    expect(held.verdict).toBe("holds");
    expect(held.sizes.batch).toBeGreaterThanOrEqual(1);
    expect(held.sizes.batch).toBeLessThanOrEqual(16);
    const sweep = JSON.parse((await runCli(["sweep", "consensus", "--variant", "no-dedup", "--seeds", "10", "--no-shrink", "--json", "--out", temporaryFolder()])).stdout);
    const first = sweep.firstDivergence;
    const file = JSON.parse(readFileSync(first.replayFile, "utf8"));
    expect(file.sizes).toEqual(execute({ scenario: consensus, variant: "no-dedup", seed: first.seed, faults: "swarm" }).sizes);
    const replay = JSON.parse((await runCli(["replay", first.replayFile, "--json"])).stdout);
    expect(replay.matches).toBe(true);
    expect(replay.sizes).toEqual(file.sizes);
  });
});
