// The storage fault atlas (world/storage.ts, the primitives in world/disk.ts): a bit flipped in a
// file's durable bytes, an fsync silently ignored, an append landed over an earlier append. Each
// strikes only the files a scenario declares (unless the profile says `all`), at most one file of
// a declared group of copies, and replays from its tape.

import { describe, expect, test } from "vitest";
import { defineNode, defineScenario, execute, type StorageFaultDeclaration } from "../../src/index.ts";
import { Tape, type Decision } from "../../src/core/tape.ts";
import { TapeChooser } from "../../src/kernel/choosers.ts";
import { validateScenario } from "../../src/explore/loader.ts";
import { NAMED_PROFILES, parseFaultProfile, resolveFaults, type FaultProfile } from "../../src/world/faults.ts";

const STORAGE_KINDS = ["corrupt", "lost-fsync", "misdirect"];

/** One node `w` that appends `r1\n`, `r2\n`, `r3\n` to `log` and `copy` (one record per 10 ms timer), fsyncing each; π is both files. */
function writer(storageFaults?: StorageFaultDeclaration) {
  return defineScenario({
    name: "storage-fixture",
    description: "one node appending three records to two files",
    variants: [{ name: "v", expect: "holds", description: "appends and fsyncs" }],
    workload: () => ({}),
    nodes: () => ({
      w: defineNode<{ written: number }>({
        init: (ctx) => {
          ctx.setTimer("next", 10);
          return { written: 0 };
        },
        timer: (state, ctx) => {
          state.written++;
          for (const file of ["log", "copy"]) {
            ctx.disk.append(file, `r${state.written}\n`);
            ctx.disk.fsync(file);
          }
          if (state.written < 3) ctx.setTimer("next", 10);
        },
      }),
    }),
    project: (view) => ({ log: view.nodes.w!.disk.read("log") ?? null, copy: view.nodes.w!.disk.read("copy") ?? null }),
    ...(storageFaults === undefined ? {} : { storageFaults }),
  });
}

const STORAGE: FaultProfile = { ...NAMED_PROFILES.none!, name: "storage", corruptionProbability: 0.5, lostFsyncProbability: 0.5, misdirectedWriteProbability: 0.5, faultEndMs: 1000 };
const BOTH: StorageFaultDeclaration = { corruption: ["w:*"], lostFsync: ["w:*"], misdirectedWrite: ["w:*"] };

function run(scenario: ReturnType<typeof writer>, decisions: readonly Decision[], faults: FaultProfile = STORAGE) {
  return execute({ scenario, variant: "v", seed: 1, faults, chooser: new TapeChooser(new Tape(decisions)) });
}

describe("each storage fault, from its tape", () => {
  // w's invocations: 1 is init, 2..4 the timers; in each timer, effects 1-2 are log's append and fsync, 3-4 copy's.
  test("a lost fsync leaves the append unsynced: the file holds it until a crash", () => {
    const result = run(writer(BOTH), [{ kind: "lost-fsync", node: "w", invocation: 2, effect: 2, file: "log", value: 1 }]);
    expect(result.trace.filter((event) => event.kind === "lost-fsync")).toMatchObject([{ node: "w", file: "log", invocation: 2, effect: 2 }]);
    expect(result.trace.filter((event) => event.kind === "fsync" && event.file === "log")).toHaveLength(2);
  });

  test("a misdirected append lands over an earlier append's bytes; the file grows, its end holds zero bytes", () => {
    const result = run(writer(BOTH), [
      { kind: "misdirect", node: "w", invocation: 4, effect: 1, file: "log", value: 1 },
      { kind: "misdirect-to", node: "w", invocation: 4, effect: 1, file: "log", value: 1 },
    ]);
    expect(result.logical).toEqual({ log: "r1\nr3\n\0\0\0", copy: "r1\nr2\nr3\n" });
    expect(result.trace.find((event) => event.kind === "misdirect")).toMatchObject({ file: "log", offset: 3, intendedOffset: 6, bytes: 3 });
  });

  test("a bit flip changes one durable byte, and the page cache shows it", () => {
    // Fault tick 2 is at 40 ms, after all three records are durable; bit 0 of byte 1 ('1' → '0').
    const result = run(writer(BOTH), [
      { kind: "corrupt", tick: 2, node: "w", file: "log", value: 1 },
      { kind: "corrupt-bit", tick: 2, node: "w", file: "log", value: 8 },
    ]);
    expect(result.logical).toEqual({ log: "r0\nr2\nr3\n", copy: "r1\nr2\nr3\n" });
    expect(result.trace.find((event) => event.kind === "corrupt")).toMatchObject({ node: "w", file: "log", offset: 1, bit: 0 });
  });
});

describe("which files storage faults may strike", () => {
  const seeds = Array.from({ length: 40 }, (_, seed) => seed);
  const kindsHit = (scenario: ReturnType<typeof writer>, faults: FaultProfile) =>
    seeds.flatMap((seed) => execute({ scenario, variant: "v", seed, faults }).trace.filter((event) => STORAGE_KINDS.includes(event.kind)));

  test("none, for a scenario that declares none; any, under storageFaultTargets: all", () => {
    expect(kindsHit(writer(), STORAGE)).toEqual([]);
    expect(new Set(kindsHit(writer(), { ...STORAGE, storageFaultTargets: "all" }).map((event) => event.kind))).toEqual(new Set(STORAGE_KINDS));
  });

  test("only the files declared for each kind", () => {
    const events = kindsHit(writer({ lostFsync: ["w:log"], misdirectedWrite: ["*:copy"] }), STORAGE);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(event.kind).not.toBe("corrupt");
      if (event.kind === "lost-fsync") expect(event.file).toBe("log");
      if (event.kind === "misdirect") expect(event.file).toBe("copy");
    }
  });

  test("at most one file of a group of copies in an execution, whichever is struck first", () => {
    let struck = 0;
    for (const seed of seeds) {
      const trace = execute({ scenario: writer({ ...BOTH, copies: [["w:log", "w:copy"]] }), variant: "v", seed, faults: STORAGE }).trace;
      const files = new Set(trace.flatMap((event) => (STORAGE_KINDS.includes(event.kind) && "file" in event ? [event.file] : [])));
      expect(files.size).toBeLessThanOrEqual(1);
      struck += files.size;
    }
    expect(struck).toBeGreaterThan(0);
    // Without the group, some execution strikes both.
    const both = seeds.some((seed) => {
      const trace = execute({ scenario: writer(BOTH), variant: "v", seed, faults: STORAGE }).trace;
      return new Set(trace.flatMap((event) => (STORAGE_KINDS.includes(event.kind) && "file" in event ? [event.file] : []))).size === 2;
    });
    expect(both).toBe(true);
  });
});

describe("the storage fault fields", () => {
  test("a profile file accepts them and storageFaultTargets, and refuses bad values", () => {
    const profile = parseFaultProfile({ corruptionProbability: 0.1, lostFsyncProbability: 0.2, misdirectedWriteProbability: 0.3, storageFaultTargets: "all" }, "test");
    expect(profile).toMatchObject({ corruptionProbability: 0.1, lostFsyncProbability: 0.2, misdirectedWriteProbability: 0.3, storageFaultTargets: "all" });
    expect(() => parseFaultProfile({ lostFsyncProbability: -1 }, "test")).toThrow(/lostFsyncProbability/);
    expect(() => parseFaultProfile({ storageFaultTargets: "some" }, "test")).toThrow(/storageFaultTargets.*"declared", "all"/);
  });

  test("swarm draws each kind on for some seeds and off for others", () => {
    const drawn = Array.from({ length: 40 }, (_, seed) => resolveFaults("swarm", seed));
    for (const field of ["corruptionProbability", "lostFsyncProbability", "misdirectedWriteProbability"] as const) {
      expect(drawn.some((profile) => profile[field] === 0)).toBe(true);
      expect(drawn.some((profile) => profile[field] > 0)).toBe(true);
    }
  });

  test("a scenario file's storageFaults must be lists of node:file patterns", () => {
    expect(() => validateScenario({ ...writer(), storageFaults: { corruption: ["log"] } }, "test")).toThrow(/storageFaults.*"log" is not a "node:file" pattern/);
    expect(() => validateScenario({ ...writer(), storageFaults: { copies: [["w:log"], "w:copy"] } }, "test")).toThrow(/'copies'\[1\] must be a list/);
  });
});
