// Seeded streams: reproducible, and independent of one another, so switching a fault kind on or
// off never shifts the workload's or the nodes' draws.

import { describe, expect, test } from "vitest";
import fc from "fast-check";
import seedrandom from "seedrandom";
import { randomStream } from "../../src/core/random.ts";
import { RandomChooser } from "../../src/kernel/choosers.ts";
import { NAMED_PROFILES } from "../../src/world/faults.ts";
import { chatterRun } from "../fixtures/traces.ts";

function draws(seed: number, name: string, count: number): number[] {
  const stream = randomStream(seed, name);
  return Array.from({ length: count }, () => stream.next());
}

describe("random streams", () => {
  test("the same seed and name give the same draws; other names give others", () => {
    expect(draws(3, "workload", 5)).toEqual(draws(3, "workload", 5));
    expect(draws(3, "workload", 5)).not.toEqual(draws(3, "network", 5));
    expect(draws(3, "workload", 5)).not.toEqual(draws(4, "workload", 5));
  });

  test("drawing from one stream never shifts another", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat({ max: 50 }), (seed, interleaved) => {
        const alone = draws(seed, "workload", 10);
        const workload = randomStream(seed, "workload");
        const network = randomStream(seed, "network");
        const mixed: number[] = [];
        for (let index = 0; index < 10; index++) {
          for (let spin = 0; spin < interleaved % 7; spin++) network.next();
          mixed.push(workload.next());
        }
        expect(mixed).toEqual(alone);
      }),
    );
  });

  test("a chooser's decision kinds are independent: drop decisions never shift delay decisions", () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.boolean(), { maxLength: 40 }), (seed, dropFirst) => {
        const question = <Kind extends "drop" | "delay-ms">(kind: Kind, n: number) => ({ kind, from: "a", to: "b", n });
        const plain = new RandomChooser(seed);
        const expected = dropFirst.map((_drop, n) => plain.below(question("delay-ms", n + 1), 100));
        const mixed = new RandomChooser(seed);
        const seen = dropFirst.map((drop, n) => {
          if (drop) mixed.chance(question("drop", n + 1), 0.5);
          return mixed.below(question("delay-ms", n + 1), 100);
        });
        expect(seen).toEqual(expected);
      }),
    );
  });

  test("switching drops on leaves the workload and the nodes' first draws unchanged", () => {
    const calm = { ...NAMED_PROFILES.none!, delayProbability: 0.3, delayMaxMs: 40 };
    const lossy = { ...calm, dropProbability: 0.4 };
    for (let seed = 0; seed < 20; seed++) {
      const without = chatterRun(seed, calm);
      const withDrops = chatterRun(seed, lossy);
      expect(withDrops.logical).toEqual(without.logical);
      expect(withDrops.physicalHash).not.toBe(without.physicalHash);
    }
  });
});

describe("the Alea generator written out", () => {
  test("draws exactly what seedrandom's alea draws from the same seed string, over many seeds and stream names", () => {
    const names = ["workload", "swarm", "swarm-sizes", "fault:drop", "fault:crash-point-restart", "node:a", "node:replica-12", "", "ü/ß€"];
    const seeds = [0, 1, 2, 7, 42, 999, 65_535, 1_000_003, 2 ** 31 - 1, 2 ** 32, 2 ** 53 - 1, -1, -17, 0.5, 1e21];
    for (let seed = 3; seed < 300; seed += 7) seeds.push(seed * 7919);
    for (const seed of seeds) {
      for (const name of names) {
        // Interleave streams of different seeds, so the cached prefix of one seed is never reused for another.
        const ours = randomStream(seed, name);
        randomStream(seed + 1, name).next();
        const theirs = seedrandom.alea(`dsim/${seed}/${name}`);
        for (let draw = 0; draw < 40; draw++) expect(ours.next()).toBe(theirs.quick());
      }
    }
  });

  test("the property holds for arbitrary seeds and names (a string of any characters)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.string({ unit: "grapheme", maxLength: 30 }), (seed, name) => {
        const ours = randomStream(seed, name);
        const theirs = seedrandom.alea(`dsim/${seed}/${name}`);
        for (let draw = 0; draw < 10; draw++) expect(ours.next()).toBe(theirs.quick());
      }),
      { numRuns: 500 },
    );
  });
});
