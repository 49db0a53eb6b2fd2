// Canonical hashing, logical-trace diffs, fault-profile validation and the version constant.

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { canonicalJson, hashJson, parseFaultProfile, DSIM_VERSION } from "../../src/index.ts";
import { describeDifference, diffJson } from "../../src/core/diff.ts";
import { drawSwarm } from "../../src/world/faults.ts";

describe("canonical hashing", () => {
  test("key order does not change a hash; any value change does", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(hashJson(reversed as never)).toBe(hashJson(record as never));
        expect(canonicalJson(reversed as never)).toBe(canonicalJson(record as never));
      }),
    );
    expect(hashJson({ a: 1, b: [1, 2] })).not.toBe(hashJson({ a: 1, b: [2, 1] }));
    expect(hashJson([1, "1"])).not.toBe(hashJson(["1", 1]));
    expect(hashJson(0.5)).not.toBe(hashJson(0.25));
  });
});

describe("logical-trace diff", () => {
  test("names the first differing paths with expected and seen values", () => {
    const differences = diffJson({ balance: 100, applied: [1, 2] }, { balance: 50, applied: [1, 2, 2] }).map(describeDifference);
    expect(differences).toEqual(["$.applied[2]: expected (absent), seen 2", "$.balance: expected 100, seen 50"]);
    expect(diffJson({ same: [1] }, { same: [1] })).toEqual([]);
  });
});

describe("fault profiles", () => {
  test("a file builds on `none` or a named base, and rejects unknown keys and bad ranges", () => {
    expect(parseFaultProfile({ dropProbability: 0.2 }, "f.json")).toMatchObject({ dropProbability: 0.2, crashProbability: 0 });
    expect(parseFaultProfile({ base: "heavy", crashProbability: 0 }, "f.json")).toMatchObject({ dropProbability: 0.25, crashProbability: 0 });
    expect(() => parseFaultProfile({ dropRate: 0.2 }, "f.json")).toThrow(/unknown key 'dropRate'/);
    expect(() => parseFaultProfile({ dropProbability: -0.1 }, "f.json")).toThrow(/outside \[0, 1\]/);
    expect(() => parseFaultProfile({ healAtMs: 10 }, "f.json")).toThrow(/healAtMs/);
    expect(() => parseFaultProfile([1], "f.json")).toThrow(/JSON object/);
  });

  test("swarm draws differ between seeds and are a pure function of the seed", () => {
    expect(drawSwarm(5)).toEqual(drawSwarm(5));
    const kinds = new Set(Array.from({ length: 50 }, (_, seed) => JSON.stringify(drawSwarm(seed))));
    expect(kinds.size).toBe(50);
    const profile = drawSwarm(9);
    expect(parseFaultProfile(profile, "swarm")).toEqual({ ...profile, name: "swarm" });
  });
});

test("DSIM_VERSION is package.json's version", () => {
  expect(DSIM_VERSION).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
});
