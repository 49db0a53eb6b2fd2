// Fault profiles: plain data saying which faults are on, how likely, and when. Named profiles
// (none, light, heavy, swarm) or a JSON file; every profile is validated here, at the boundary.
// `swarm` is not one profile but a draw: each seed picks which fault kinds are on and how hard.

import { UsageError } from "../core/errors.ts";
import { randomStream } from "../core/random.ts";

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
  /** How often crashes, partitions and clock skews are drawn. */
  readonly tickMs: number;
}

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
};

export const NAMED_PROFILES: Readonly<Record<string, FaultProfile>> = { none: NONE, light: LIGHT, heavy: HEAVY };
export const PROFILE_NAMES = ["none", "light", "heavy", "swarm"] as const;

/** A profile as the user names it: a built-in name, `swarm`, or the data of a profile. */
export type FaultSpec = string | FaultProfile;

/** The concrete profile of one seed. `swarm` draws one from the seed's own "swarm" stream. */
export function resolveFaults(spec: FaultSpec, seed: number): FaultProfile {
  if (typeof spec !== "string") return spec;
  if (spec === "swarm") return drawSwarm(seed);
  const named = NAMED_PROFILES[spec];
  if (named === undefined) throw new UsageError(`unknown fault profile '${spec}' (known: ${PROFILE_NAMES.join(", ")}, or a .json file)`);
  return named;
}

/** Swarm testing: each fault kind on with probability 1/2, at an intensity up to `heavy`'s. */
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
  };
}

const PROBABILITY_KEYS = new Set<string>([
  "dropProbability", "duplicateProbability", "delayProbability", "partitionProbability",
  "crashProbability", "tornWriteProbability", "clockSkewProbability",
]);

/** Validates a profile read from JSON: known keys only, probabilities in [0, 1], times ≥ 0. */
export function parseFaultProfile(value: unknown, source: string): FaultProfile {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UsageError(`${source}: a fault profile must be a JSON object`);
  }
  const record = value as Record<string, unknown>;
  const base = record.base === undefined ? NONE : NAMED_PROFILES[String(record.base)];
  if (base === undefined) throw new UsageError(`${source}: unknown base profile '${String(record.base)}' (none, light, heavy)`);
  const profile: Record<string, unknown> = { ...base, name: source };
  for (const [key, field] of Object.entries(record)) {
    if (key === "base") continue;
    if (key === "name") {
      if (typeof field !== "string") throw new UsageError(`${source}: 'name' must be a string`);
      profile.name = field;
      continue;
    }
    if (!(key in NONE)) throw new UsageError(`${source}: unknown key '${key}' in fault profile (known: ${Object.keys(NONE).join(", ")})`);
    if (typeof field !== "number" || !Number.isFinite(field)) throw new UsageError(`${source}: '${key}' must be a number`);
    if (PROBABILITY_KEYS.has(key) && (field < 0 || field > 1)) throw new UsageError(`${source}: '${key}' is ${field}, outside [0, 1]`);
    if (!PROBABILITY_KEYS.has(key) && field < 0) throw new UsageError(`${source}: '${key}' is ${field}, must be ≥ 0`);
    profile[key] = field;
  }
  const checked = profile as unknown as FaultProfile;
  if (checked.tickMs <= 0) throw new UsageError(`${source}: 'tickMs' must be > 0`);
  if (checked.faultEndMs < checked.faultStartMs) throw new UsageError(`${source}: 'faultEndMs' is before 'faultStartMs'`);
  if (checked.healAtMs < checked.faultEndMs) throw new UsageError(`${source}: 'healAtMs' is before 'faultEndMs'`);
  if (checked.partitionMaxMs < checked.partitionMinMs) throw new UsageError(`${source}: 'partitionMaxMs' is below 'partitionMinMs'`);
  if (checked.restartMaxMs < checked.restartMinMs) throw new UsageError(`${source}: 'restartMaxMs' is below 'restartMinMs'`);
  return checked;
}
