// Fuzzing every parser at dsim's boundary (fast-check): fault profiles, replay files, schedule
// tapes, sizes, shards, the number options and a shard's summary. Whatever the input, a parser
// either returns a value that keeps its rules or throws a UsageError of one line (exit 2) — never
// a TypeError, a RangeError or any other failure that the CLI would call a bug in dsim.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseIntegerIn, parseNonNegativeInteger, parseShard, parseSizes } from "../../src/cli/options.ts";
import { UsageError } from "../../src/core/errors.ts";
import { tapeFromJson } from "../../src/core/tape.ts";
import { parseReplayFile } from "../../src/execution/replayFile.ts";
import { readShardFiles } from "../../src/report/shardFiles.ts";
import { parseFaultProfile, STORAGE_FAULT_TARGETS, TICK_MS_MIN, validateFaultProfile, NAMED_PROFILES, type FaultProfile } from "../../src/world/faults.ts";
import { temporaryFolder } from "../fixtures/cli.ts";

/** Runs `parse`: its value, or the UsageError it threw (one line); anything else fails the test. */
function outcomeOf<Value>(parse: () => Value): { value: Value } | { error: UsageError } {
  try {
    return { value: parse() };
  } catch (error) {
    if (!(error instanceof UsageError)) throw new Error(`not a usage error: ${String(error)}`);
    expect(error.message).not.toContain("\n");
    return { error };
  }
}

/** Keys a hostile file might hold: the profile's own, Object.prototype's, and others. */
const PROFILE_KEYS = [...Object.keys(NAMED_PROFILES.none!), "base", "constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", "extra"];
/** Values that probe each rule: in and out of range, of the wrong type. */
const FIELD_VALUE = fc.oneof(
  fc.double({ noNaN: false }),
  fc.integer({ min: -5, max: 5000 }),
  fc.constantFrom(0, 1, 0.5, 1e-6, -1, 2, Number.MAX_VALUE),
  fc.constantFrom("none", "light", "heavy", "swarm", "constructor", "", "1", "declared", "all"),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
);

function profileRules(profile: FaultProfile): void {
  expect(Object.keys(profile).sort()).toEqual(Object.keys(NAMED_PROFILES.none!).sort());
  for (const [key, value] of Object.entries(profile)) {
    if (key === "name") continue;
    if (key === "storageFaultTargets") {
      expect(STORAGE_FAULT_TARGETS).toContain(value);
      continue;
    }
    expect(typeof value === "number" && Number.isFinite(value) && value >= 0).toBe(true);
    if (key.endsWith("Probability")) expect(value).toBeLessThanOrEqual(1);
  }
  expect(profile.tickMs).toBeGreaterThanOrEqual(TICK_MS_MIN);
  expect(profile.faultEndMs).toBeGreaterThanOrEqual(profile.faultStartMs);
  expect(profile.healAtMs).toBeGreaterThanOrEqual(profile.faultEndMs);
}

describe("fault profiles", () => {
  test("a file's JSON: a profile that keeps every rule, or one line naming the field", () => {
    const record = fc.dictionary(fc.constantFrom(...PROFILE_KEYS), FIELD_VALUE, { maxKeys: 6 });
    fc.assert(
      fc.property(fc.oneof(record, fc.jsonValue({ maxDepth: 2 })), (value) => {
        // As JSON.parse gives it: `__proto__` an own key, not a prototype.
        const json = JSON.parse(JSON.stringify(value) ?? "null");
        const outcome = outcomeOf(() => parseFaultProfile(json, "p.json"));
        if ("value" in outcome) profileRules(outcome.value);
        else expect(outcome.error.message).toMatch(/^p\.json: /);
      }),
      { numRuns: 2000 },
    );
  });

  test("a profile handed to the library: the same rules", () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(NAMED_PROFILES.none!)), FIELD_VALUE, (key, value) => {
        const outcome = outcomeOf(() => validateFaultProfile({ ...NAMED_PROFILES.none!, [key]: value } as FaultProfile));
        if ("value" in outcome) profileRules(outcome.value);
      }),
      { numRuns: 500 },
    );
  });
});

/** A replay file dsim writes (format 2), for mutating. */
const REPLAY = {
  format: "dsim-replay", formatVersion: 2, dsimVersion: "0.2.0", scenario: "delivery", variant: "sum", seed: 7, workloadSeed: 0,
  sizes: { messages: 5 }, faults: { ...NAMED_PROFILES.light! }, limits: { eventsMax: 200000, virtualTimeMaxMs: 120000 },
  expected: { physicalHash: "7cf10e7f849fa2e3", logicalHash: "46f02510fdd45c41", verdict: "diverges", violations: [{ invariant: "logical-trace", message: "x" }] },
  schedule: [{ kind: "drop", from: "sender", to: "receiver", n: 5, value: 1 }],
};

const PATH_STEP = fc.constantFrom("format", "formatVersion", "seed", "workloadSeed", "sizes", "faults", "limits", "eventsMax", "virtualTimeMaxMs", "expected", "verdict", "physicalHash", "violations", "schedule", "watchdog", "shrunk", "decisions", "choices", "constructor", "0", "n", "kind", "value", "tickMs");

/** Sets `value` at a path of keys into a copy of `document` (creating what is missing). */
function withValueAt(document: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  const base = document !== null && typeof document === "object" ? document : {};
  const copy: Record<string, unknown> = Array.isArray(base) ? ([...base] as unknown as Record<string, unknown>) : { ...(base as Record<string, unknown>) };
  copy[head] = withValueAt(copy[head], rest, value);
  return copy;
}

describe("replay files", () => {
  test("a valid file parses, and keeps its hashes and limits", () => {
    const replay = parseReplayFile(JSON.parse(JSON.stringify(REPLAY)), "r.json");
    expect(replay.limits).toEqual(REPLAY.limits);
    expect(replay.schedule?.size).toBe(1);
  });

  test("any field set to any value: a replay file that keeps the rules, or one line naming what is wrong", () => {
    fc.assert(
      fc.property(fc.array(PATH_STEP, { minLength: 1, maxLength: 3 }), fc.oneof(FIELD_VALUE, fc.constant(undefined)), (path, value) => {
        const mutated = JSON.parse(JSON.stringify(withValueAt(REPLAY, path, value)) ?? "null");
        const outcome = outcomeOf(() => parseReplayFile(mutated, "r.json"));
        if ("error" in outcome) {
          expect(outcome.error.message).toMatch(/^replay file 'r\.json'/);
          return;
        }
        const replay = outcome.value;
        expect(Number.isSafeInteger(replay.limits.eventsMax) && replay.limits.eventsMax >= 1).toBe(true);
        expect(Number.isSafeInteger(replay.seed) && replay.seed >= 0).toBe(true);
        profileRules(replay.faults);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("schedule tapes", () => {
  const DECISION = fc.dictionary(fc.constantFrom("kind", "from", "to", "n", "value", "tick", "node", "file", "point", "constructor", "extra"), FIELD_VALUE, { maxKeys: 6 });
  test("any list of decisions: a tape, or one line naming the entry", () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(fc.oneof(DECISION, fc.jsonValue({ maxDepth: 1 })), { maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })), (value) => {
        const outcome = outcomeOf(() => tapeFromJson(JSON.parse(JSON.stringify(value) ?? "null"), "r.json"));
        if ("value" in outcome) for (const decision of outcome.value.decisions()) expect(Number.isSafeInteger(decision.value) && decision.value > 0).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("option values", () => {
  const TEXT = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("0", "1", "-1", "1/2", "-1/2", "0/0", "3/2", "1e3", "0x10", "9007199254740993", " 1", "messages=3", "a=1", "=1"));
  test("sizes, shards and numbers: a value in range, or one line naming the option", () => {
    fc.assert(
      fc.property(fc.array(TEXT, { maxLength: 3 }), TEXT, (sizes, text) => {
        const parsedSizes = outcomeOf(() => parseSizes(sizes));
        if ("value" in parsedSizes) for (const size of Object.values(parsedSizes.value)) expect(Number.isSafeInteger(size) && size >= 0).toBe(true);
        else expect(parsedSizes.error.message).toMatch(/^--size /);
        const shard = outcomeOf(() => parseShard(text));
        if ("value" in shard) expect(shard.value.index >= 0 && shard.value.index < shard.value.count).toBe(true);
        else expect(shard.error.message).toMatch(/^--shard /);
        const count = outcomeOf(() => parseNonNegativeInteger("seeds", text));
        if ("value" in count) expect(Number.isSafeInteger(count.value) && count.value >= 0).toBe(true);
        else expect(count.error.message).toMatch(/^--seeds /);
        const bounded = outcomeOf(() => parseIntegerIn("heap-max-mb", text, 64, 65536));
        if ("value" in bounded) expect(bounded.value >= 64 && bounded.value <= 65536).toBe(true);
        else expect(bounded.error.message).toMatch(/^--heap-max-mb /);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("a shard's summary, for report merge", () => {
  test("any summary.json and seed line: read, or one line naming the file and field", () => {
    const folder = temporaryFolder();
    let run = 0;
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.constantFrom("shard", "sweeps", "scenario", "variant", "seeds", "complete", "firstDivergence"), FIELD_VALUE)), fc.jsonValue({ maxDepth: 2 }), (summary, line) => {
        const shard = join(folder, String(run++));
        mkdirSync(shard);
        writeFileSync(join(shard, "summary.json"), JSON.stringify(summary) ?? "");
        writeFileSync(join(shard, "seeds.jsonl"), `${JSON.stringify(line) ?? ""}\n`);
        const outcome = outcomeOf(() => readShardFiles(shard));
        if ("error" in outcome) expect(outcome.error.message).toContain(shard);
      }),
      { numRuns: 300 },
    );
  });
});
