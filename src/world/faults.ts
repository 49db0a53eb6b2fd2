// Fault profiles: plain data saying which faults are on, how likely, and when. Named profiles
// (none, light, heavy, swarm) or a JSON file; every profile is validated here, at the boundary.
// `swarm` is not one profile but a draw: each seed picks which fault kinds are on and how hard.

import { UsageError } from "../core/errors.ts";
import { randomStream, type Random } from "../core/random.ts";
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
   * Targeted nemeses (world/targeted.ts), aimed at the roles the scenario names (`roles`), each
   * per fault tick: arm a crash of the leader right after its next handler that sends a message.
   */
  readonly leaderCrashProbability: number;
  /** Per fault tick (network whole): cut the leader off from every other member, for an isolation's length. */
  readonly leaderIsolateProbability: number;
  /** Per fault tick (network whole): isolate the node that just granted a vote, for an isolation's length. */
  readonly voterIsolateProbability: number;
  /** Per fault tick: start a churn, deposing each new leader in turn (2 to 4 times) by a short isolation. */
  readonly leaderChurnProbability: number;
  /** How long a targeted isolation lasts: drawn in [isolateMinMs, isolateMaxMs]. */
  readonly isolateMinMs: number;
  readonly isolateMaxMs: number;
  /**
   * Fault phases: [faultStartMs, faultEndMs) holds this many fault windows of equal length with
   * `quietMs` of quiet between each two. A quiet stretch begins with a heal (partitions end, crashed
   * nodes restart) and draws no faults; the last window ends at faultEndMs.
   */
  readonly faultPhases: number;
  readonly quietMs: number;
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
  /**
   * Per fault tick: start a send-churn (world/targeted.ts), deposing the leader 2 to 4 times in
   * turn, each time right after its next handler that sends, so what it just sent reaches no one.
   */
  readonly leaderSendChurnProbability: number;
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
  leaderCrashProbability: 0,
  leaderIsolateProbability: 0,
  voterIsolateProbability: 0,
  leaderChurnProbability: 0,
  isolateMinMs: 150,
  isolateMaxMs: 600,
  faultPhases: 1,
  quietMs: 0,
  crashPointProbability: 0,
  corruptionProbability: 0,
  lostFsyncProbability: 0,
  misdirectedWriteProbability: 0,
  storageFaultTargets: "declared",
  leaderSendChurnProbability: 0,
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

/**
 * A swarm with some fields fixed (a profile file with `"base": "swarm"`): each seed draws its
 * profile as `swarm` does, then the fixed fields replace what was drawn. Fixing any field of the
 * fault period (start, end, heal, tick, phases, quiet) keeps the swarm from shaping it.
 */
export interface SwarmSpec {
  readonly name: string;
  readonly swarm: Readonly<Partial<Record<ProfileField, number>>>;
}

/** A profile as the user names it: a built-in name, `swarm`, a swarm with fields fixed, or the data of a profile. */
export type FaultSpec = string | FaultProfile | SwarmSpec;

/** Whether each seed draws its own profile (and its variable sizes): `swarm`, or a swarm with fields fixed. */
export function isSwarm(spec: FaultSpec): boolean {
  return spec === "swarm" || (typeof spec === "object" && "swarm" in spec);
}

/** The fields of the fault period: fixing one of them keeps a swarm from drawing the period's shape. */
const PERIOD_FIELDS: readonly ProfileField[] = ["faultStartMs", "faultEndMs", "healAtMs", "tickMs", "faultPhases", "quietMs"];

/** The concrete profile of one seed. `swarm` draws one from the seed's own "swarm" stream. */
export function resolveFaults(spec: FaultSpec, seed: number): FaultProfile {
  if (typeof spec !== "string" && "swarm" in spec) {
    const drawn = drawSwarm(seed);
    const period = PERIOD_FIELDS.some((field) => spec.swarm[field] !== undefined) ? periodOf(NONE) : {};
    return checkProfile({ ...drawn, ...period, ...spec.swarm, name: spec.name }, spec.name);
  }
  if (typeof spec !== "string") return validateFaultProfile(spec);
  if (spec === "swarm") return drawSwarm(seed);
  const named = NAMED_PROFILES[spec];
  if (named === undefined) throw new UsageError(`unknown fault profile '${spec}' (known: ${PROFILE_NAMES.join(", ")}, or a .json file)`);
  return named;
}

/** The most a swarm draws of each targeted nemesis, per fault tick (`heavy` has none of them). */
export const SWARM_TARGETED_MAX = {
  leaderCrashProbability: 0.06,
  leaderIsolateProbability: 0.03,
  voterIsolateProbability: 0.06,
  leaderChurnProbability: 0.02,
  leaderSendChurnProbability: 0.02,
} as const;

/** A swarm's shaped fault period: up to this many phases, each this long, this quiet between. */
export const SWARM_PHASES_MAX = 3;
export const SWARM_PHASE_MIN_MS = 500;
export const SWARM_PHASE_MAX_MS = 1500;
export const SWARM_QUIET_MIN_MS = 100;
export const SWARM_QUIET_MAX_MS = 500;

/**
 * Swarm testing: each fault kind on with probability 1/2, at an intensity up to `heavy`'s; each
 * targeted nemesis on with probability 1/2 (up to SWARM_TARGETED_MAX); and with probability 1/2
 * a shaped fault period: 1 to 3 phases of 0.5 to 1.5 s with 0.1 to 0.5 s of quiet between, else
 * one window of [0, 1000) ms; then crash points and storage faults, each on with probability 1/2
 * up to `heavy`'s; then the send-churn, on with probability 1/2. Kinds added later draw after the
 * earlier ones, so a seed keeps the draws it had for the earlier kinds.
 */
export function drawSwarm(seed: number): FaultProfile {
  // One object filled in draw order, no closure: drawn per seed, it was 2% of a delivery sweep as
  // five spread copies. Its keys keep NONE's order (the profile as written to replay files).
  const random = randomStream(seed, "swarm");
  const drawn: { -readonly [Field in keyof FaultProfile]: FaultProfile[Field] } = { ...NONE, name: "swarm", latencyMs: 1, latencyJitterMs: 9, delayMaxMs: HEAVY.delayMaxMs, clockSkewMaxMs: HEAVY.clockSkewMaxMs };
  drawn.dropProbability = level(random, HEAVY.dropProbability);
  drawn.duplicateProbability = level(random, HEAVY.duplicateProbability);
  drawn.delayProbability = level(random, HEAVY.delayProbability);
  drawn.partitionProbability = level(random, HEAVY.partitionProbability);
  drawn.crashProbability = level(random, HEAVY.crashProbability);
  drawn.tornWriteProbability = random.chance(0.5) ? 1 : 0;
  drawn.clockSkewProbability = level(random, HEAVY.clockSkewProbability);
  drawn.leaderCrashProbability = level(random, SWARM_TARGETED_MAX.leaderCrashProbability);
  drawn.leaderIsolateProbability = level(random, SWARM_TARGETED_MAX.leaderIsolateProbability);
  drawn.voterIsolateProbability = level(random, SWARM_TARGETED_MAX.voterIsolateProbability);
  drawn.leaderChurnProbability = level(random, SWARM_TARGETED_MAX.leaderChurnProbability);
  const shaped = random.chance(0.5);
  const faultPhases = shaped ? 1 + random.below(SWARM_PHASES_MAX) : 1;
  const phaseMs = shaped ? random.between(SWARM_PHASE_MIN_MS, SWARM_PHASE_MAX_MS) : 0;
  const quietMs = faultPhases === 1 ? 0 : random.between(SWARM_QUIET_MIN_MS, SWARM_QUIET_MAX_MS);
  if (shaped) {
    drawn.faultPhases = faultPhases;
    drawn.quietMs = quietMs;
    drawn.faultEndMs = drawn.faultStartMs + faultPhases * phaseMs + (faultPhases - 1) * quietMs;
  }
  drawn.crashPointProbability = level(random, HEAVY.crashPointProbability);
  drawn.corruptionProbability = level(random, HEAVY.corruptionProbability);
  drawn.lostFsyncProbability = level(random, HEAVY.lostFsyncProbability);
  drawn.misdirectedWriteProbability = level(random, HEAVY.misdirectedWriteProbability);
  drawn.leaderSendChurnProbability = level(random, SWARM_TARGETED_MAX.leaderSendChurnProbability);
  drawn.healAtMs = drawn.faultEndMs;
  return drawn;
}

/** A swarm's level of one fault kind: off with probability 1/2, else up to `heavyValue` (4 decimals). */
function level(random: Random, heavyValue: number): number {
  return random.chance(0.5) ? Math.round(heavyValue * random.next() * 1e4) / 1e4 : 0;
}

function periodOf(profile: FaultProfile): Partial<Record<ProfileField, number>> {
  return Object.fromEntries(PERIOD_FIELDS.map((field) => [field, profile[field]]));
}

/** One fault window of a profile: faults are drawn inside [startMs, endMs). */
export interface FaultWindow {
  readonly startMs: number;
  readonly endMs: number;
}

/** The profile's fault windows, in time order: `faultPhases` of them, `quietMs` apart, the last ending at faultEndMs. */
export function faultWindows(profile: FaultProfile): readonly FaultWindow[] {
  // The network, the nemesis, crash points and storage faults each ask, once per execution: the
  // last profile's windows are kept (a profile is not changed once made; its fields are readonly).
  if (profile === windowsProfile) return windowsOfProfile;
  windowsOfProfile = windowsOf(profile);
  windowsProfile = profile;
  return windowsOfProfile;
}

let windowsProfile: FaultProfile | undefined;
let windowsOfProfile: readonly FaultWindow[] = [];

function windowsOf(profile: FaultProfile): readonly FaultWindow[] {
  const { faultStartMs, faultEndMs, faultPhases, quietMs } = profile;
  const spanMs = faultEndMs - faultStartMs + quietMs;
  const windows: FaultWindow[] = [];
  for (let phase = 0; phase < faultPhases; phase++) {
    windows.push({
      startMs: faultStartMs + Math.round((phase * spanMs) / faultPhases),
      endMs: faultStartMs + Math.round(((phase + 1) * spanMs) / faultPhases) - quietMs,
    });
  }
  return windows;
}

/** Whether `timeMs` falls inside one of the windows (faultWindows): faults are drawn only there. */
export function inFaultWindow(windows: readonly FaultWindow[], timeMs: number): boolean {
  for (const window of windows) if (timeMs >= window.startMs && timeMs < window.endMs) return true;
  return false;
}

/** When fault tick `tick` (from 0) falls: ticks run every tickMs inside each window, numbered across windows. */
export function tickTimeMs(profile: FaultProfile, tick: number, windows: readonly FaultWindow[] = faultWindows(profile)): number {
  let before = 0;
  for (const window of windows) {
    const ticks = Math.max(0, Math.ceil((window.endMs - window.startMs) / profile.tickMs));
    if (tick < before + ticks) return window.startMs + (tick - before) * profile.tickMs;
    before += ticks;
  }
  return profile.faultEndMs;
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
/** The most fault phases a profile may have. */
export const FAULT_PHASES_MAX = 64;
const phaseCount = z
  .number({ error: "must be a finite number" })
  .int({ error: (issue) => `is ${String(issue.input)}, must be a whole number of phases` })
  .min(1, { error: (issue) => `is ${String(issue.input)}, must be ≥ 1` })
  .max(FAULT_PHASES_MAX, { error: (issue) => `is ${String(issue.input)}, at most ${FAULT_PHASES_MAX}` });

const FIELDS: Readonly<Record<ProfileField, typeof probability | typeof durationMs | typeof tickMs | typeof phaseCount>> = {
  latencyMs: durationMs, latencyJitterMs: durationMs,
  dropProbability: probability, duplicateProbability: probability, delayProbability: probability, delayMaxMs: durationMs,
  partitionProbability: probability, partitionMinMs: durationMs, partitionMaxMs: durationMs,
  crashProbability: probability, restartMinMs: durationMs, restartMaxMs: durationMs,
  tornWriteProbability: probability, clockSkewProbability: probability, clockSkewMaxMs: durationMs,
  faultStartMs: durationMs, faultEndMs: durationMs, healAtMs: durationMs, tickMs,
  leaderCrashProbability: probability, leaderIsolateProbability: probability, voterIsolateProbability: probability, leaderChurnProbability: probability,
  isolateMinMs: durationMs, isolateMaxMs: durationMs, faultPhases: phaseCount, quietMs: durationMs,
  crashPointProbability: probability, corruptionProbability: probability, lostFsyncProbability: probability,
  misdirectedWriteProbability: probability, leaderSendChurnProbability: probability,
};

const storageFaultTargets = z.enum(STORAGE_FAULT_TARGETS, {
  error: (issue) => `is ${JSON.stringify(issue.input)}, not one of ${STORAGE_FAULT_TARGETS.map((name) => JSON.stringify(name)).join(", ")}`,
});

const BASE_NAMES = Object.keys(NAMED_PROFILES) as [string, ...string[]];
const SPEC_BASE_NAMES = [...BASE_NAMES, "swarm"] as [string, ...string[]];

/** A fault-profile file: any of the fields over a named base profile (`none` by default; `swarm` where a file may be a swarm). */
const profileFile = (bases: [string, ...string[]]) => ownObject(
  {
    base: z.enum(bases, { error: (issue) => `is ${JSON.stringify(issue.input)}, not a base profile (${bases.join(", ")})` }).optional(),
    name: z.string({ error: "must be a string" }).optional(),
    ...Object.fromEntries(Object.entries(FIELDS).map(([key, schema]) => [key, schema.optional()])),
    storageFaultTargets: storageFaultTargets.optional(),
  },
  "a JSON object",
);
const PROFILE_FILE = profileFile(BASE_NAMES);
const SPEC_FILE = profileFile(SPEC_BASE_NAMES);

/** A whole profile, as the library is handed one: every field. */
const PROFILE = ownObject({ name: z.string({ error: "must be a string" }), ...FIELDS, storageFaultTargets }, "a fault profile object");

/** Validates a profile read from JSON (a file's, a replay file's): known own keys only, probabilities in [0, 1], times ≥ 0. */
export function parseFaultProfile(value: unknown, source: string): FaultProfile {
  const { base, ...fields } = parseWith(PROFILE_FILE, value, source) as { base?: string; name?: string; storageFaultTargets?: StorageFaultTargets } & Partial<Record<ProfileField, number>>;
  return checkProfile({ ...NAMED_PROFILES[base ?? "none"]!, name: source, ...fields } as FaultProfile, source);
}

/**
 * Validates a `--faults` file: a profile over a named base, as parseFaultProfile does, or over
 * `"base": "swarm"`: a swarm with the file's fields fixed (checked over `none`'s period).
 */
export function parseFaultSpec(value: unknown, source: string): FaultProfile | SwarmSpec {
  const { base, name, ...fields } = parseWith(SPEC_FILE, value, source) as { base?: string; name?: string } & Partial<Record<ProfileField, number>>;
  if (base !== "swarm") return parseFaultProfile(value, source);
  checkProfile({ ...NONE, ...fields, name: source }, source);
  return { name: name ?? source, swarm: fields };
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
  if (profile.isolateMaxMs < profile.isolateMinMs) bad("'isolateMaxMs' is below 'isolateMinMs'");
  const quietTotalMs = (profile.faultPhases - 1) * profile.quietMs;
  if (profile.faultPhases > 1 && quietTotalMs >= profile.faultEndMs - profile.faultStartMs) {
    bad(`${profile.faultPhases} phases with ${profile.quietMs} ms of quiet between them leave no time for faults in [${profile.faultStartMs}, ${profile.faultEndMs}) ms`);
  }
  return profile;
}
