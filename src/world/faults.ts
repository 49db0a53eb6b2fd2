// Fault profiles: plain data saying which faults are on, how likely, and when. Named profiles
// (none, light, heavy, swarm) or a JSON file; every profile is validated here, at the boundary.
// `swarm` is not one profile but a draw: each seed picks which fault kinds are on and how hard.

import { UsageError } from "../core/errors.ts";
import { randomStream } from "../core/random.ts";
import { ownObject, parseWith, z } from "../core/schema.ts";

export interface FaultProfile {
  readonly name: string;
  /** One-way network latency: latencyMs plus a uniform draw in [0, latencyJitterMs], always on. */
  readonly latencyMs: number;
  readonly latencyJitterMs: number;
  /** Probability that a message sent in the fault window is lost. */
  readonly dropProbability: number;
  /** Probability that a message sent in the fault window is delivered twice. */
  readonly duplicateProbability: number;
  /** Probability that a message gets an extra delay (which reorders it), up to delayMaxMs. */
  readonly delayProbability: number;
  readonly delayMaxMs: number;
  /** Per fault tick, probability that the network splits (when it is whole). */
  readonly partitionProbability: number;
  readonly partitionMinMs: number;
  readonly partitionMaxMs: number;
  /** Per fault tick and up node, probability that the node crashes. */
  readonly crashProbability: number;
  readonly restartMinMs: number;
  readonly restartMaxMs: number;
  /** Per crash and file with unsynced writes, probability that a prefix of them survives. */
  readonly tornWriteProbability: number;
  /** Per fault tick and node, probability that the node's clock skew changes. */
  readonly clockSkewProbability: number;
  readonly clockSkewMaxMs: number;
  /** Faults start only within [faultStartMs, faultEndMs). */
  readonly faultStartMs: number;
  readonly faultEndMs: number;
  /** At healAtMs every partition heals and every crashed node restarts. */
  readonly healAtMs: number;
  /** How often crashes, partitions, clock skews and bit flips are drawn. */
  readonly tickMs: number;
  /**
   * Per effect of a handler in the fault window (a send, a disk write, append or fsync), probability
   * that the node crashes just before it (world/crashPoints.ts): that effect and every later one of
   * the handler never happen.
   */
  readonly crashPointProbability: number;
  /** Per fault tick and file storage faults may strike, probability that one bit of its durable content flips. */
  readonly corruptionProbability: number;
  /** Per fsync of a file storage faults may strike, in the fault window, probability that it is silently ignored. */
  readonly lostFsyncProbability: number;
  /** Per append to such a file in the fault window, probability that it lands over an earlier append's bytes. */
  readonly misdirectedWriteProbability: number;
  /**
   * Which files the three storage faults above may strike: `declared`, the files the scenario
   * declares it survives them on (`storageFaults`, world/storage.ts), or `all`, every file.
   */
  readonly storageFaultTargets: StorageFaultTargets;
}

export const STORAGE_FAULT_TARGETS = ["declared", "all"] as const;
export type StorageFaultTargets = (typeof STORAGE_FAULT_TARGETS)[number];

const NONE: FaultProfile = {
  name: "none",
  latencyMs: 5,
  latencyJitterMs: 0,
  dropProbability: 0,
  duplicateProbability: 0,
  delayProbability: 0,
  delayMaxMs: 0,
  partitionProbability: 0,
  partitionMinMs: 50,
  partitionMaxMs: 300,
  crashProbability: 0,
  restartMinMs: 20,
  restartMaxMs: 200,
  tornWriteProbability: 0,
  clockSkewProbability: 0,
  clockSkewMaxMs: 0,
  faultStartMs: 0,
  faultEndMs: 1000,
  healAtMs: 1000,
  tickMs: 20,
  crashPointProbability: 0,
  corruptionProbability: 0,
  lostFsyncProbability: 0,
  misdirectedWriteProbability: 0,
  storageFaultTargets: "declared",
};

const LIGHT: FaultProfile = {
  ...NONE,
  name: "light",
  latencyMs: 1,
  latencyJitterMs: 9,
  dropProbability: 0.05,
  duplicateProbability: 0.02,
  delayProbability: 0.1,
  delayMaxMs: 30,
  partitionProbability: 0.01,
  crashProbability: 0.006,
  tornWriteProbability: 0.5,
  clockSkewProbability: 0.02,
  clockSkewMaxMs: 50,
  crashPointProbability: 0.002,
  corruptionProbability: 0.004,
  lostFsyncProbability: 0.02,
  misdirectedWriteProbability: 0.01,
};

const HEAVY: FaultProfile = {
  ...NONE,
  name: "heavy",
  latencyMs: 1,
  latencyJitterMs: 9,
  dropProbability: 0.25,
  duplicateProbability: 0.1,
  delayProbability: 0.3,
  delayMaxMs: 100,
  partitionProbability: 0.06,
  crashProbability: 0.03,
  tornWriteProbability: 1,
  clockSkewProbability: 0.1,
  clockSkewMaxMs: 200,
  crashPointProbability: 0.01,
  corruptionProbability: 0.1,
  lostFsyncProbability: 0.1,
  misdirectedWriteProbability: 0.2,
};

export const NAMED_PROFILES: Readonly<Record<string, FaultProfile>> = { none: NONE, light: LIGHT, heavy: HEAVY };
export const PROFILE_NAMES = ["none", "light", "heavy", "swarm"] as const;

/** A profile as the user names it: a built-in name, `swarm`, or the data of a profile. */
export type FaultSpec = string | FaultProfile;

/** The concrete profile of one seed. `swarm` draws one from the seed's own "swarm" stream. */
export function resolveFaults(spec: FaultSpec, seed: number): FaultProfile {
  if (typeof spec !== "string") return validateFaultProfile(spec);
  if (spec === "swarm") return drawSwarm(seed);
  const named = NAMED_PROFILES[spec];
  if (named === undefined) throw new UsageError(`unknown fault profile '${spec}' (known: ${PROFILE_NAMES.join(", ")}, or a .json file)`);
  return named;
}

/**
 * Swarm testing: each fault kind on with probability 1/2, at an intensity up to `heavy`'s. The kinds
 * added later draw after the earlier ones, so a seed keeps the draws it had for the earlier kinds.
 */
export function drawSwarm(seed: number): FaultProfile {
  const random = randomStream(seed, "swarm");
  const level = (heavyValue: number): number => (random.chance(0.5) ? Math.round(heavyValue * random.next() * 1e4) / 1e4 : 0);
  return {
    ...NONE,
    name: "swarm",
    latencyMs: 1,
    latencyJitterMs: 9,
    dropProbability: level(HEAVY.dropProbability),
    duplicateProbability: level(HEAVY.duplicateProbability),
    delayProbability: level(HEAVY.delayProbability),
    delayMaxMs: HEAVY.delayMaxMs,
    partitionProbability: level(HEAVY.partitionProbability),
    crashProbability: level(HEAVY.crashProbability),
    tornWriteProbability: random.chance(0.5) ? 1 : 0,
    clockSkewProbability: level(HEAVY.clockSkewProbability),
    clockSkewMaxMs: HEAVY.clockSkewMaxMs,
    crashPointProbability: level(HEAVY.crashPointProbability),
    corruptionProbability: level(HEAVY.corruptionProbability),
    lostFsyncProbability: level(HEAVY.lostFsyncProbability),
    misdirectedWriteProbability: level(HEAVY.misdirectedWriteProbability),
  };
}

/** The shortest fault tick: finer ticks would spend an execution's budget on drawing faults. */
export const TICK_MS_MIN = 1;

type ProfileField = Exclude<keyof FaultProfile, "name" | "storageFaultTargets">;

const probability = z
  .number({ error: "must be a finite number" })
  .min(0, { error: (issue) => `is ${String(issue.input)}, outside [0, 1]` })
  .max(1, { error: (issue) => `is ${String(issue.input)}, outside [0, 1]` });
const durationMs = z.number({ error: "must be a finite number" }).min(0, { error: (issue) => `is ${String(issue.input)}, must be ≥ 0` });
const tickMs = z.number({ error: "must be a finite number" }).min(TICK_MS_MIN, { error: (issue) => `is ${String(issue.input)}, must be ≥ ${TICK_MS_MIN} (ms)` });

const FIELDS: Readonly<Record<ProfileField, typeof probability | typeof durationMs | typeof tickMs>> = {
  latencyMs: durationMs, latencyJitterMs: durationMs,
  dropProbability: probability, duplicateProbability: probability, delayProbability: probability, delayMaxMs: durationMs,
  partitionProbability: probability, partitionMinMs: durationMs, partitionMaxMs: durationMs,
  crashProbability: probability, restartMinMs: durationMs, restartMaxMs: durationMs,
  tornWriteProbability: probability, clockSkewProbability: probability, clockSkewMaxMs: durationMs,
  faultStartMs: durationMs, faultEndMs: durationMs, healAtMs: durationMs, tickMs,
  crashPointProbability: probability, corruptionProbability: probability, lostFsyncProbability: probability,
  misdirectedWriteProbability: probability,
};

const storageFaultTargets = z.enum(STORAGE_FAULT_TARGETS, {
  error: (issue) => `is ${JSON.stringify(issue.input)}, not one of ${STORAGE_FAULT_TARGETS.map((name) => JSON.stringify(name)).join(", ")}`,
});

const BASE_NAMES = Object.keys(NAMED_PROFILES) as [string, ...string[]];

/** A fault-profile file: any of the fields over a named base profile (`none` by default). */
const PROFILE_FILE = ownObject(
  {
    base: z.enum(BASE_NAMES, { error: (issue) => `is ${JSON.stringify(issue.input)}, not a base profile (${BASE_NAMES.join(", ")})` }).optional(),
    name: z.string({ error: "must be a string" }).optional(),
    ...Object.fromEntries(Object.entries(FIELDS).map(([key, schema]) => [key, schema.optional()])),
    storageFaultTargets: storageFaultTargets.optional(),
  },
  "a JSON object",
);

/** A whole profile, as the library is handed one: every field. */
const PROFILE = ownObject({ name: z.string({ error: "must be a string" }), ...FIELDS, storageFaultTargets }, "a fault profile object");

/** Validates a profile read from JSON (a file's, a replay file's): known own keys only, probabilities in [0, 1], times ≥ 0. */
export function parseFaultProfile(value: unknown, source: string): FaultProfile {
  const { base, ...fields } = parseWith(PROFILE_FILE, value, source) as { base?: string; name?: string; storageFaultTargets?: StorageFaultTargets } & Partial<Record<ProfileField, number>>;
  return checkProfile({ ...NAMED_PROFILES[base ?? "none"]!, name: source, ...fields } as FaultProfile, source);
}

const validated = new WeakSet<FaultProfile>();

/** Validates a whole profile handed to the library (once per object): the same rules as a file's. */
export function validateFaultProfile(profile: FaultProfile, source = "fault profile"): FaultProfile {
  if (validated.has(profile)) return profile;
  parseWith(PROFILE, profile, source);
  checkProfile(profile, source);
  validated.add(profile);
  return profile;
}

/** The rules between fields. */
function checkProfile(profile: FaultProfile, source: string): FaultProfile {
  const bad = (what: string): never => {
    throw new UsageError(`${source}: ${what}`);
  };
  if (profile.faultEndMs < profile.faultStartMs) bad("'faultEndMs' is before 'faultStartMs'");
  if (profile.healAtMs < profile.faultEndMs) bad("'healAtMs' is before 'faultEndMs'");
  if (profile.partitionMaxMs < profile.partitionMinMs) bad("'partitionMaxMs' is below 'partitionMinMs'");
  if (profile.restartMaxMs < profile.restartMinMs) bad("'restartMaxMs' is below 'restartMinMs'");
  return profile;
}
