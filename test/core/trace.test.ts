// Canonical hashing, logical-trace diffs, fault-profile validation and the version constant.

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { canonicalJson, hashJson, parseFaultProfile, DSIM_VERSION } from "../../src/index.ts";
import { describeDifference, diffJson } from "../../src/core/diff.ts";
import { drawSwarm, faultWindows, parseFaultSpec, resolveFaults } from "../../src/world/faults.ts";

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

  test("a file may shape the fault period in phases and turn the targeted nemeses on; bad shapes are refused", () => {
    const phased = parseFaultProfile({ base: "heavy", faultPhases: 3, quietMs: 200, faultEndMs: 2000, healAtMs: 2000, leaderChurnProbability: 0.1 }, "f.json");
    expect(faultWindows(phased)).toEqual([{ startMs: 0, endMs: 533 }, { startMs: 733, endMs: 1267 }, { startMs: 1467, endMs: 2000 }]);
    expect(phased.leaderChurnProbability).toBe(0.1);
    expect(() => parseFaultProfile({ faultPhases: 0 }, "f.json")).toThrow(/faultPhases.*must be ≥ 1/);
    expect(() => parseFaultProfile({ faultPhases: 1.5 }, "f.json")).toThrow(/whole number of phases/);
    expect(() => parseFaultProfile({ faultPhases: 4, quietMs: 400 }, "f.json")).toThrow(/leave no time for faults/);
    expect(() => parseFaultProfile({ isolateMinMs: 500, isolateMaxMs: 100 }, "f.json")).toThrow(/isolateMaxMs/);
    expect(() => parseFaultProfile({ leaderCrashProbability: 2 }, "f.json")).toThrow(/outside \[0, 1\]/);
  });

  test("a file over `\"base\": \"swarm\"` draws per seed as swarm does, with its own fields fixed", () => {
    const spec = parseFaultSpec({ base: "swarm", name: "calm-leaders", leaderCrashProbability: 0, leaderChurnProbability: 0.5 }, "f.json");
    for (const seed of [1, 2, 3]) {
      expect(resolveFaults(spec, seed)).toEqual({ ...drawSwarm(seed), name: "calm-leaders", leaderCrashProbability: 0, leaderChurnProbability: 0.5 });
    }
    // Fixing a field of the period keeps the swarm from shaping it: `none`'s one window, then the file's field.
    expect(resolveFaults(parseFaultSpec({ base: "swarm", faultEndMs: 3000, healAtMs: 3000 }, "f.json"), 4)).toMatchObject({ faultStartMs: 0, faultEndMs: 3000, faultPhases: 1, quietMs: 0 });
    expect(() => parseFaultSpec({ base: "swarm", faultPhases: 4, quietMs: 400 }, "f.json")).toThrow(/leave no time/);
    expect(() => parseFaultProfile({ base: "swarm" }, "f.json")).toThrow(/not a base profile/);
  });

  test("swarm turns each targeted nemesis on in about half the seeds and shapes the period in phases in about half", () => {
    const profiles = Array.from({ length: 400 }, (_, seed) => drawSwarm(seed));
    const share = (on: (profile: (typeof profiles)[number]) => boolean) => profiles.filter(on).length / profiles.length;
    for (const field of ["leaderCrashProbability", "leaderIsolateProbability", "voterIsolateProbability", "leaderChurnProbability"] as const) {
      expect(share((profile) => profile[field] > 0)).toBeGreaterThan(0.4);
      expect(share((profile) => profile[field] > 0)).toBeLessThan(0.6);
    }
    expect(share((profile) => profile.faultPhases > 1)).toBeGreaterThan(0.2);
    expect(profiles.every((profile) => profile.healAtMs >= profile.faultEndMs && faultWindows(profile).every((window) => window.startMs < window.endMs))).toBe(true);
  });
});

test("DSIM_VERSION is package.json's version", () => {
  expect(DSIM_VERSION).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
});
