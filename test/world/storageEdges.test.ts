// The storage faults alone (world/storage.ts), on the hand-made host and tapes: which files a
// `node:file` pattern names, when each kind is even asked (its probability on, inside a fault
// window, a place for a misdirected append to land), where a flipped bit lands, when bit-flip ticks
// run, and how a group of copies lets only its first struck file be struck again.

import { describe, expect, test } from "vitest";
import type { StorageFaultDeclaration } from "../../src/core/scenario.ts";
import { Tape, type Decision } from "../../src/core/tape.ts";
import { RecordingChooser, TapeChooser } from "../../src/kernel/choosers.ts";
import { NAMED_PROFILES, type FaultProfile } from "../../src/world/faults.ts";
import { StorageFaults } from "../../src/world/storage.ts";
import { FakeHost } from "../fixtures/worldHost.ts";

const STORAGE: FaultProfile = {
  ...NAMED_PROFILES.none!, corruptionProbability: 0.5, lostFsyncProbability: 0.5, misdirectedWriteProbability: 0.5, faultStartMs: 0, faultEndMs: 100, tickMs: 20, healAtMs: 100,
};

function world(declaration: StorageFaultDeclaration, decisions: Decision[] = [], profile: FaultProfile = STORAGE) {
  const host = new FakeHost(["w", "v"]);
  const chooser = new RecordingChooser(new TapeChooser(new Tape(decisions)));
  const storage = new StorageFaults(host, profile, chooser, declaration);
  return { host, chooser, storage };
}

const point = (node: string, effect = 1) => ({ node, invocation: 2, effect });
const askedKinds = (chooser: RecordingChooser) => chooser.asked.map((decision) => `${decision.kind} ${"node" in decision ? decision.node : ""}:${"file" in decision ? decision.file : ""}`);

describe("which files a pattern names", () => {
  test.each([
    [["w:log"], ["w:log"]],
    [["w:*"], ["w:log", "w:copy"]],
    [["*:copy"], ["w:copy", "v:copy"]],
    [["*:*"], ["w:log", "w:copy", "v:log", "v:copy"]],
    [["v:log", "w:copy"], ["w:copy", "v:log"]],
    [["x:log", "w:lo", "w:logs"], []],
  ])("%j: lost fsyncs are asked about %j", (patterns, expected) => {
    const { host, chooser, storage } = world({ lostFsync: patterns });
    for (const node of ["w", "v"]) for (const file of ["log", "copy"]) storage.fsync(point(node), host.diskOf(node), file);
    expect(askedKinds(chooser)).toEqual(expected.map((name) => `lost-fsync ${name}`));
  });

  test("storageFaultTargets all strikes undeclared files; a declaration for one kind says nothing of another", () => {
    const all = world({}, [], { ...STORAGE, storageFaultTargets: "all" });
    all.storage.fsync(point("v"), all.host.diskOf("v"), "any");
    expect(askedKinds(all.chooser)).toEqual(["lost-fsync v:any"]);
    const other = world({ corruption: ["*:*"], misdirectedWrite: ["*:*"] });
    other.storage.fsync(point("v"), other.host.diskOf("v"), "any");
    expect(other.chooser.asked).toEqual([]);
  });
});

describe("when each kind is asked", () => {
  test("a lost fsync: only with its probability on and inside a fault window; when lost, the file stays unsynced and the loss is recorded", () => {
    const off = world({ lostFsync: ["*:*"] }, [], { ...STORAGE, lostFsyncProbability: 0 });
    off.storage.fsync(point("w"), off.host.diskOf("w"), "log");
    expect(off.chooser.asked).toEqual([]);
    const late = world({ lostFsync: ["*:*"] });
    late.host.timeMs = 100;
    late.storage.fsync(point("w"), late.host.diskOf("w"), "log");
    expect(late.chooser.asked).toEqual([]);
    const { host, chooser, storage } = world({ lostFsync: ["*:*"] }, [{ kind: "lost-fsync", node: "w", invocation: 2, effect: 3, file: "log", value: 1 }]);
    host.timeMs = 99;
    const disk = host.diskOf("w");
    disk.append("log", "abc");
    storage.fsync(point("w", 3), disk, "log");
    expect(askedKinds(chooser)).toEqual(["lost-fsync w:log"]);
    expect(disk.hasUnsynced()).toBe(true);
    expect(host.trace).toEqual([{ kind: "lost-fsync", timeMs: 99, node: "w", invocation: 2, effect: 3, file: "log" }]);
    storage.fsync(point("w", 4), disk, "log");
    expect(disk.hasUnsynced()).toBe(false);
  });

  test("a misdirected append: only where an earlier append could be landed on, inside a window, with its probability on", () => {
    const decisions: Decision[] = [
      { kind: "misdirect", node: "w", invocation: 2, effect: 2, file: "log", value: 1 },
      { kind: "misdirect-to", node: "w", invocation: 2, effect: 2, file: "log", value: 9 },
    ];
    const { host, chooser, storage } = world({ misdirectedWrite: ["w:log"] }, decisions);
    const disk = host.diskOf("w");
    storage.append(point("w", 1), disk, "log", "aa");
    expect(chooser.asked).toEqual([]);
    storage.append(point("w", 2), disk, "log", "bbb");
    storage.append(point("w", 3), disk, "log", "cc");
    // One earlier append (at 0): the target is clamped to it.
    expect(disk.read("log")).toBe("bbb\0\0cc");
    expect(host.trace).toEqual([{ kind: "misdirect", timeMs: 0, node: "w", invocation: 2, effect: 2, file: "log", offset: 0, intendedOffset: 2, bytes: 3 }]);
    expect(askedKinds(chooser)).toEqual(["misdirect w:log", "misdirect-to w:log", "misdirect w:log"]);
    const late = world({ misdirectedWrite: ["w:log"] });
    late.host.timeMs = 150;
    late.host.diskOf("w").append("log", "x");
    late.storage.append(point("w"), late.host.diskOf("w"), "log", "y");
    expect(late.chooser.asked).toEqual([]);
    expect(late.host.diskOf("w").read("log")).toBe("xy");
    const off = world({ misdirectedWrite: ["w:log"] }, [], { ...STORAGE, misdirectedWriteProbability: 0 });
    off.host.diskOf("w").append("log", "x");
    off.storage.append(point("w"), off.host.diskOf("w"), "log", "y");
    expect(off.chooser.asked).toEqual([]);
  });
});

describe("bit flips", () => {
  test("tick at each fault tick of each window, over files with durable bytes only, at the drawn bit", () => {
    const phased = { ...STORAGE, faultPhases: 2, quietMs: 40 };
    const { host, chooser, storage } = world({ corruption: ["*:*"] }, [{ kind: "corrupt", tick: 3, node: "w", file: "log", value: 1 }, { kind: "corrupt-bit", tick: 3, node: "w", file: "log", value: 13 }], phased);
    host.diskOf("w").write("log", "AAAA");
    host.diskOf("w").fsync("log");
    host.diskOf("v").write("empty", "unsynced");
    storage.arm();
    expect(host.runAll()).toEqual(["storage-tick@0", "storage-tick@20", "storage-tick@70", "storage-tick@90"]);
    // Bit 13 is bit 5 of byte 1: 'A' becomes 'a'.
    expect(host.diskOf("w").read("log")).toBe("AaAA");
    expect(host.trace).toEqual([{ kind: "corrupt", timeMs: 90, node: "w", file: "log", offset: 1, bit: 5 }]);
    expect(chooser.asked.filter((decision) => decision.kind === "corrupt-bit")).toEqual([{ kind: "corrupt-bit", tick: 3, node: "w", file: "log", value: 13 }]);
    expect(askedKinds(chooser).filter((kind) => kind.includes("empty"))).toEqual([]);
  });

  test("do not tick with their probability off, or with no fault period", () => {
    const off = world({ corruption: ["*:*"] }, [], { ...STORAGE, corruptionProbability: 0 });
    off.storage.arm();
    expect(off.host.runAll()).toEqual([]);
    const empty = world({ corruption: ["*:*"] }, [], { ...STORAGE, faultStartMs: 50, faultEndMs: 50 });
    empty.storage.arm();
    expect(empty.host.runAll()).toEqual([]);
  });
});

describe("a group of copies", () => {
  test("once one file of a group is struck, no other file of the group is asked about, by any kind", () => {
    const declaration: StorageFaultDeclaration = { lostFsync: ["*:*"], misdirectedWrite: ["*:*"], copies: [["w:log", "v:log"], ["w:meta", "v:meta"]] };
    const { host, chooser, storage } = world(declaration, [{ kind: "lost-fsync", node: "v", invocation: 2, effect: 1, file: "log", value: 1 }]);
    storage.fsync(point("w"), host.diskOf("w"), "log");
    storage.fsync(point("v"), host.diskOf("v"), "log");
    expect(askedKinds(chooser)).toEqual(["lost-fsync w:log", "lost-fsync v:log"]);
    // v:log was struck: w:log is out for every kind; v:log and the other group are still asked.
    storage.fsync(point("w", 2), host.diskOf("w"), "log");
    storage.fsync(point("v", 2), host.diskOf("v"), "log");
    storage.fsync(point("w", 2), host.diskOf("w"), "meta");
    host.diskOf("w").append("log", "x");
    storage.append(point("w", 3), host.diskOf("w"), "log", "y");
    expect(askedKinds(chooser).slice(2)).toEqual(["lost-fsync v:log", "lost-fsync w:meta"]);
  });

  test("a file in two groups, once struck, closes both", () => {
    const declaration: StorageFaultDeclaration = { lostFsync: ["*:*"], copies: [["w:log", "v:log"], ["w:log", "w:copy"]] };
    const { host, chooser, storage } = world(declaration, [{ kind: "lost-fsync", node: "w", invocation: 2, effect: 1, file: "log", value: 1 }]);
    storage.fsync(point("w"), host.diskOf("w"), "log");
    storage.fsync(point("v"), host.diskOf("v"), "log");
    storage.fsync(point("w"), host.diskOf("w"), "copy");
    storage.fsync(point("v"), host.diskOf("v"), "other");
    expect(askedKinds(chooser)).toEqual(["lost-fsync w:log", "lost-fsync v:other"]);
  });
});
