// Fault profiles at their boundary (world/faults.ts): what a profile file, a swarm spec and a
// profile handed to the library may hold, with the one line each refusal says; how a swarm draws a
// seed's profile (every kind within `heavy`, on for some seeds and off for others, the fault period
// shaped within its bounds); and the arithmetic of fault windows and ticks, derived by hand.

import { describe, expect, test } from "vitest";
import { UsageError } from "../../src/core/errors.ts";
import {
  drawSwarm,
  faultWindows,
  inFaultWindow,
  isSwarm,
  NAMED_PROFILES,
  parseFaultProfile,
  parseFaultSpec,
  resolveFaults,
  SWARM_PHASE_MAX_MS,
  SWARM_PHASE_MIN_MS,
  SWARM_PHASES_MAX,
  SWARM_QUIET_MAX_MS,
  SWARM_QUIET_MIN_MS,
  SWARM_TARGETED_MAX,
  tickTimeMs,
  validateFaultProfile,
  type FaultProfile,
} from "../../src/world/faults.ts";

const NONE = NAMED_PROFILES.none!;
const HEAVY = NAMED_PROFILES.heavy!;

/** The one line a refusal says (and that it is a usage error: exit 2). */
function refusal(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("accepted");
}

describe("a profile file", () => {
  test.each([
    [{ dropProbability: -0.1 }, "p.json: 'dropProbability' is -0.1, outside [0, 1]"],
    [{ dropProbability: 1.5 }, "p.json: 'dropProbability' is 1.5, outside [0, 1]"],
    [{ dropProbability: "x" }, "p.json: 'dropProbability' must be a finite number"],
    [{ latencyMs: -1 }, "p.json: 'latencyMs' is -1, must be ≥ 0"],
    [{ latencyMs: "5" }, "p.json: 'latencyMs' must be a finite number"],
    [{ tickMs: 0.5 }, "p.json: 'tickMs' is 0.5, must be ≥ 1 (ms)"],
    [{ tickMs: "a" }, "p.json: 'tickMs' must be a finite number"],
    [{ faultPhases: 0 }, "p.json: 'faultPhases' is 0, must be ≥ 1"],
    [{ faultPhases: 1.5 }, "p.json: 'faultPhases' is 1.5, must be a whole number of phases"],
    [{ faultPhases: 65 }, "p.json: 'faultPhases' is 65, at most 64"],
    [{ faultPhases: "2" }, "p.json: 'faultPhases' must be a finite number"],
    [{ base: "medium" }, "p.json: 'base' is \"medium\", not a base profile (none, light, heavy)"],
    [{ base: "swarm" }, "p.json: 'base' is \"swarm\", not a base profile (none, light, heavy)"],
    [{ name: 3 }, "p.json: 'name' must be a string"],
    [{ storageFaultTargets: "some" }, "p.json: 'storageFaultTargets' is \"some\", not one of \"declared\", \"all\""],
    [5, "p.json: must be a JSON object"],
    [{ faultStartMs: 500, faultEndMs: 100, healAtMs: 1000 }, "p.json: 'faultEndMs' is before 'faultStartMs'"],
    [{ healAtMs: 10 }, "p.json: 'healAtMs' is before 'faultEndMs'"],
    [{ partitionMinMs: 10, partitionMaxMs: 5 }, "p.json: 'partitionMaxMs' is below 'partitionMinMs'"],
    [{ restartMinMs: 10, restartMaxMs: 5 }, "p.json: 'restartMaxMs' is below 'restartMinMs'"],
    [{ isolateMinMs: 10, isolateMaxMs: 5 }, "p.json: 'isolateMaxMs' is below 'isolateMinMs'"],
    [{ faultPhases: 3, quietMs: 500 }, "p.json: 3 phases with 500 ms of quiet between them leave no time for faults in [0, 1000) ms"],
    [{ faultPhases: 2, quietMs: 1000 }, "p.json: 2 phases with 1000 ms of quiet between them leave no time for faults in [0, 1000) ms"],
    [{ faultStartMs: 600, faultPhases: 2, quietMs: 400 }, "p.json: 2 phases with 400 ms of quiet between them leave no time for faults in [600, 1000) ms"],
  ])("%j is refused: %s", (file, message) => {
    expect(refusal(() => parseFaultProfile(file, "p.json"))).toBe(message);
  });

  test("an unknown key is refused, naming it and the known ones", () => {
    expect(refusal(() => parseFaultProfile({ dropp: 1 }, "p.json"))).toMatch(/^p\.json: has unknown key 'dropp' \(known: base, name, latencyMs, .*, storageFaultTargets\)$/);
  });

  test("bounds are inclusive: equal minimum and maximum, an empty fault period, a heal at its end, quiet just short of the period", () => {
    const edge = parseFaultProfile(
      { partitionMinMs: 7, partitionMaxMs: 7, restartMinMs: 3, restartMaxMs: 3, isolateMinMs: 9, isolateMaxMs: 9, faultStartMs: 400, faultEndMs: 400, healAtMs: 400, dropProbability: 1, tickMs: 1 },
      "edge.json",
    );
    expect(edge).toMatchObject({ partitionMaxMs: 7, restartMaxMs: 3, isolateMaxMs: 9, faultEndMs: 400, healAtMs: 400, dropProbability: 1, tickMs: 1 });
    expect(parseFaultProfile({ faultPhases: 3, quietMs: 499 }, "p.json").quietMs).toBe(499);
    expect(parseFaultProfile({ faultPhases: 64 }, "p.json").faultPhases).toBe(64);
    // One phase has no quiet between phases, however long quietMs says.
    expect(parseFaultProfile({ faultPhases: 1, quietMs: 5000 }, "p.json").quietMs).toBe(5000);
  });

  test("lies over its base (none by default), named after its file unless it names itself", () => {
    expect(parseFaultProfile({}, "calm.json")).toEqual({ ...NONE, name: "calm.json" });
    expect(parseFaultProfile({ base: "heavy", dropProbability: 0 }, "h.json")).toEqual({ ...HEAVY, name: "h.json", dropProbability: 0 });
    expect(parseFaultProfile({ base: "light", name: "mine" }, "l.json")).toEqual({ ...NAMED_PROFILES.light!, name: "mine" });
  });
});

describe("a --faults file over swarm", () => {
  test("is a swarm with the file's fields fixed, named by the file unless it names itself", () => {
    expect(parseFaultSpec({ base: "swarm", dropProbability: 0.5 }, "s.json")).toEqual({ name: "s.json", swarm: { dropProbability: 0.5 } });
    expect(parseFaultSpec({ base: "swarm", name: "mine", tickMs: 5 }, "s.json")).toEqual({ name: "mine", swarm: { tickMs: 5 } });
  });

  test("is checked as a profile over none's period, and a file over another base is a plain profile", () => {
    expect(refusal(() => parseFaultSpec({ base: "swarm", dropProbability: 2 }, "s.json"))).toBe("s.json: 'dropProbability' is 2, outside [0, 1]");
    expect(refusal(() => parseFaultSpec({ base: "swarm", faultEndMs: 3000 }, "s.json"))).toBe("s.json: 'healAtMs' is before 'faultEndMs'");
    expect(refusal(() => parseFaultSpec({ base: "cloudy" }, "s.json"))).toBe("s.json: 'base' is \"cloudy\", not a base profile (none, light, heavy, swarm)");
    expect(parseFaultSpec({ base: "heavy" }, "h.json")).toEqual({ ...HEAVY, name: "h.json" });
  });
});

describe("resolving what the user named", () => {
  test("a named profile is that profile; an unknown name is a usage error listing the known ones", () => {
    expect(resolveFaults("light", 3)).toBe(NAMED_PROFILES.light);
    expect(refusal(() => resolveFaults("medium", 1))).toBe("unknown fault profile 'medium' (known: none, light, heavy, swarm, or a .json file)");
  });

  test("swarm is the seed's own draw; a swarm spec fixes its fields over the draw and takes its name", () => {
    expect(resolveFaults("swarm", 11)).toEqual(drawSwarm(11));
    const fixed = resolveFaults({ name: "fixed", swarm: { dropProbability: 0.5 } }, 11);
    expect(fixed).toEqual({ ...drawSwarm(11), dropProbability: 0.5, name: "fixed" });
  });

  test("fixing any field of the fault period keeps the swarm from shaping it: none's period, with the field fixed", () => {
    const shapedSeed = Array.from({ length: 50 }, (_, seed) => seed).find((seed) => drawSwarm(seed).faultPhases > 1)!;
    expect(drawSwarm(shapedSeed).faultEndMs).not.toBe(NONE.faultEndMs);
    const fixed = resolveFaults({ name: "ticks", swarm: { tickMs: 50 } }, shapedSeed);
    expect(fixed).toMatchObject({ faultStartMs: 0, faultEndMs: NONE.faultEndMs, healAtMs: NONE.healAtMs, faultPhases: 1, quietMs: 0, tickMs: 50 });
  });

  test("a profile object is validated, once, by the same rules as a file's", () => {
    const good: FaultProfile = { ...NONE, name: "mine" };
    expect(resolveFaults(good, 1)).toBe(good);
    expect(validateFaultProfile(good)).toBe(good);
    expect(refusal(() => resolveFaults({ ...NONE, dropProbability: 2 }, 1))).toBe("fault profile: 'dropProbability' is 2, outside [0, 1]");
    expect(refusal(() => validateFaultProfile({ ...NONE, extra: 1 } as never))).toMatch(/^fault profile: has unknown key 'extra' \(known: name, latencyMs, /);
    expect(refusal(() => validateFaultProfile({ ...NONE, name: 3 } as never, "lib"))).toBe("lib: 'name' must be a string");
    expect(refusal(() => validateFaultProfile({ ...NONE, restartMinMs: 9, restartMaxMs: 1 }, "lib"))).toBe("lib: 'restartMaxMs' is below 'restartMinMs'");
  });

  test("isSwarm: the name swarm or a swarm spec, nothing else", () => {
    expect(isSwarm("swarm")).toBe(true);
    expect(isSwarm({ name: "s", swarm: {} })).toBe(true);
    expect(isSwarm("heavy")).toBe(false);
    expect(isSwarm(HEAVY)).toBe(false);
  });
});

describe("a swarm's draw", () => {
  const SEEDS = Array.from({ length: 200 }, (_, seed) => seed);
  const drawn = SEEDS.map((seed) => drawSwarm(seed));
  const LEVELLED = [
    "dropProbability", "duplicateProbability", "delayProbability", "partitionProbability", "crashProbability", "clockSkewProbability",
    "crashPointProbability", "corruptionProbability", "lostFsyncProbability", "misdirectedWriteProbability",
  ] as const;

  test("each kind is off for some seeds and on for others, never above heavy's level, in steps of 1e-4", () => {
    for (const field of LEVELLED) {
      const values = drawn.map((profile) => profile[field]);
      expect(values.some((value) => value === 0), field).toBe(true);
      expect(values.some((value) => value > 0), field).toBe(true);
      for (const value of values) {
        expect(value, field).toBeLessThanOrEqual(HEAVY[field]);
        expect(Math.abs(value * 1e4 - Math.round(value * 1e4)), field).toBeLessThan(1e-6);
      }
    }
  });

  test("each targeted nemesis is off for some seeds and on for others, up to its own maximum", () => {
    for (const [field, max] of Object.entries(SWARM_TARGETED_MAX) as [keyof typeof SWARM_TARGETED_MAX, number][]) {
      const values = drawn.map((profile) => profile[field]);
      expect(values.some((value) => value === 0), field).toBe(true);
      expect(values.some((value) => value > 0), field).toBe(true);
      for (const value of values) expect(value, field).toBeLessThanOrEqual(max);
    }
  });

  test("torn writes are all or nothing; latency, delays and skews are heavy's; the rest is none's", () => {
    expect(new Set(drawn.map((profile) => profile.tornWriteProbability))).toEqual(new Set([0, 1]));
    for (const profile of drawn) {
      expect(profile).toMatchObject({ name: "swarm", latencyMs: 1, latencyJitterMs: 9, delayMaxMs: HEAVY.delayMaxMs, clockSkewMaxMs: HEAVY.clockSkewMaxMs });
      expect(profile).toMatchObject({ tickMs: NONE.tickMs, restartMinMs: NONE.restartMinMs, restartMaxMs: NONE.restartMaxMs, storageFaultTargets: "declared" });
      expect(profile.healAtMs).toBe(profile.faultEndMs);
      expect(profile.faultStartMs).toBe(0);
    }
  });

  test("the fault period is one window of [0, 1000) ms, or 1 to 3 phases of 0.5 to 1.5 s with 0.1 to 0.5 s of quiet between", () => {
    const shapes = new Set<string>();
    for (const profile of drawn) {
      const { faultPhases, quietMs, faultEndMs } = profile;
      expect(faultPhases).toBeGreaterThanOrEqual(1);
      expect(faultPhases).toBeLessThanOrEqual(SWARM_PHASES_MAX);
      if (faultPhases === 1) expect(quietMs).toBe(0);
      else {
        expect(quietMs).toBeGreaterThanOrEqual(SWARM_QUIET_MIN_MS);
        expect(quietMs).toBeLessThanOrEqual(SWARM_QUIET_MAX_MS);
      }
      const phaseMs = (faultEndMs - (faultPhases - 1) * quietMs) / faultPhases;
      if (faultEndMs === 1000 && faultPhases === 1) shapes.add("one window");
      else {
        expect(Number.isInteger(phaseMs)).toBe(true);
        expect(phaseMs).toBeGreaterThanOrEqual(SWARM_PHASE_MIN_MS);
        expect(phaseMs).toBeLessThanOrEqual(SWARM_PHASE_MAX_MS);
        shapes.add(`${faultPhases} phases`);
      }
      // The windows the profile makes are each as long as a phase.
      for (const window of faultWindows(profile)) expect(window.endMs - window.startMs).toBe(faultPhases === 1 ? faultEndMs : phaseMs);
    }
    expect(shapes).toEqual(new Set(["one window", "1 phases", "2 phases", "3 phases"]));
  });

  test("golden value (determinism across versions): seed 1's swarm draw, so swarm seeds quoted in issues keep their meaning", () => {
    expect(drawSwarm(1)).toEqual({
      ...NONE, name: "swarm", latencyMs: 1, latencyJitterMs: 9,
      dropProbability: 0.1268, duplicateProbability: 0, delayProbability: 0.2328, delayMaxMs: 100, partitionProbability: 0.0496, crashProbability: 0.0164,
      tornWriteProbability: 0, clockSkewProbability: 0.0623, clockSkewMaxMs: 200,
      leaderCrashProbability: 0.0273, leaderIsolateProbability: 0.0015, voterIsolateProbability: 0.0363, leaderChurnProbability: 0.0093,
      faultStartMs: 0, faultEndMs: 1000, healAtMs: 1000, faultPhases: 1, quietMs: 0,
      crashPointProbability: 0, corruptionProbability: 0.0532, lostFsyncProbability: 0.0102, misdirectedWriteProbability: 0.0253,
      // Drawn after every earlier kind (issue 13's send-churn): the fields above kept their values.
      leaderSendChurnProbability: 0.0084,
    });
  });
});

describe("fault windows and ticks", () => {
  const profile = (fields: Partial<FaultProfile>): FaultProfile => ({ ...NONE, ...fields });

  test("phases of equal length, quiet between, the last ending at faultEndMs (by hand: span 1000 + 50, a third each)", () => {
    expect(faultWindows(profile({ faultStartMs: 100, faultEndMs: 1100, faultPhases: 3, quietMs: 50 }))).toEqual([
      { startMs: 100, endMs: 400 },
      { startMs: 450, endMs: 750 },
      { startMs: 800, endMs: 1100 },
    ]);
    // Span 110 in thirds rounds to 37 and 73.
    expect(faultWindows(profile({ faultStartMs: 0, faultEndMs: 100, faultPhases: 3, quietMs: 10 }))).toEqual([
      { startMs: 0, endMs: 27 },
      { startMs: 37, endMs: 63 },
      { startMs: 73, endMs: 100 },
    ]);
    expect(faultWindows(profile({ faultStartMs: 20, faultEndMs: 90 }))).toEqual([{ startMs: 20, endMs: 90 }]);
  });

  test("a window holds its start and not its end", () => {
    const windows = [{ startMs: 10, endMs: 20 }, { startMs: 30, endMs: 40 }];
    expect([9, 10, 19, 20, 25, 30, 39, 40].map((timeMs) => inFaultWindow(windows, timeMs))).toEqual([false, true, true, false, false, true, true, false]);
    expect(inFaultWindow([], 0)).toBe(false);
  });

  test("ticks run every tickMs inside each window, a partial last tick included, numbered across windows; past them, faultEndMs", () => {
    // Windows [0, 50) and [80, 130): ticks at 0, 20, 40 (50 / 20 rounds up to 3), then 80, 100, 120.
    const phased = profile({ faultStartMs: 0, faultEndMs: 130, faultPhases: 2, quietMs: 30, tickMs: 20, healAtMs: 200 });
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((tick) => tickTimeMs(phased, tick))).toEqual([0, 20, 40, 80, 100, 120, 130, 130]);
    // An empty fault period has no tick.
    expect(tickTimeMs(profile({ faultStartMs: 300, faultEndMs: 300, healAtMs: 300 }), 0)).toBe(300);
  });
});
