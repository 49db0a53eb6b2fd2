// The disk model against a reference model: a crash keeps exactly the fsynced content of each
// file; a torn write keeps a prefix of the unsynced bytes over the durable content, never more.

import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { SimulatedDisk } from "../../src/world/disk.ts";

type Operation = { kind: "write" | "append"; file: string; text: string } | { kind: "fsync"; file: string };

const files = fc.constantFrom("log", "snapshot");
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constantFrom("write" as const, "append" as const), file: files, text: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant("fsync" as const), file: files }),
);

const quietObserver = { written: () => {}, synced: () => {} };

function apply(disk: SimulatedDisk, model: Map<string, string>, synced: Map<string, string>, op: Operation): void {
  if (op.kind === "fsync") {
    disk.fsync(op.file);
    if (model.has(op.file)) synced.set(op.file, model.get(op.file)!);
    return;
  }
  const before = model.get(op.file) ?? "";
  model.set(op.file, op.kind === "write" ? op.text : before + op.text);
  if (op.kind === "write") disk.write(op.file, op.text);
  else disk.append(op.file, op.text);
}

describe("disk model", () => {
  test("reads see unsynced writes; a crash keeps exactly the fsynced content", () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 30 }), (operations) => {
        const disk = new SimulatedDisk(quietObserver);
        const model = new Map<string, string>();
        const synced = new Map<string, string>();
        for (const op of operations) {
          apply(disk, model, synced, op);
          for (const [file, text] of model) expect(disk.read(file)).toBe(text);
        }
        const torn = disk.crash(() => undefined);
        expect(torn).toEqual([]);
        for (const file of ["log", "snapshot"]) expect(disk.read(file)).toBe(synced.get(file));
        expect(disk.hasUnsynced()).toBe(false);
      }),
    );
  });

  test("a torn write keeps a prefix of the unsynced bytes on top of the durable content", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.string({ minLength: 1, maxLength: 10 }), fc.nat(), (durable, unsynced, cutSeed) => {
        const disk = new SimulatedDisk(quietObserver);
        disk.append("log", durable);
        disk.fsync("log");
        disk.append("log", unsynced);
        const cut = cutSeed % unsynced.length;
        const torn = disk.crash((_file, limit) => {
          expect(limit).toBe(unsynced.length);
          return cut;
        });
        expect(disk.read("log")).toBe(durable + unsynced.slice(0, cut));
        expect(torn).toEqual(cut > 0 ? [{ file: "log", keptBytes: cut, lostBytes: unsynced.length - cut }] : []);
      }),
    );
  });

  test("a torn overwrite keeps the new prefix over the old suffix", () => {
    const disk = new SimulatedDisk(quietObserver);
    disk.write("snapshot", "aaaaaaaa");
    disk.fsync("snapshot");
    disk.write("snapshot", "bbbbbbbb");
    disk.crash(() => 3);
    expect(disk.read("snapshot")).toBe("bbbaaaaa");
  });

  test("files() lists existing files in sorted order, and fsync of a missing file is harmless", () => {
    const disk = new SimulatedDisk(quietObserver);
    disk.fsync("nothing");
    disk.write("b", "1");
    disk.append("a", "2");
    expect(disk.files()).toEqual(["a", "b"]);
    disk.crash(() => undefined);
    expect(disk.files()).toEqual([]);
  });
});
