// The disk's operations one by one (world/disk.ts), on hand-made files: what each records with its
// observer (the trace's write and fsync events), replace as an atomic write and fsync, the places
// appends began, a misdirected append, a flipped bit in the durable bytes and the cache, what a
// crash keeps, and the refusal of a file name or content that is not a string.

import { describe, expect, test } from "vitest";
import { SimulatedDisk } from "../../src/world/disk.ts";

function recordingDisk() {
  const seen: string[] = [];
  const disk = new SimulatedDisk({ written: (file, mode, bytes) => void seen.push(`${mode} ${file} ${bytes}`), synced: (file) => void seen.push(`fsync ${file}`) });
  return { disk, seen };
}

describe("the disk's operations", () => {
  test("each tells its observer what it did, with the bytes written", () => {
    const { disk, seen } = recordingDisk();
    disk.write("a", "hello");
    disk.append("a", "!!");
    disk.fsync("a");
    disk.replace("b", "xyz");
    disk.fsync("missing");
    expect(seen).toEqual(["write a 5", "append a 2", "fsync a", "replace b 3", "fsync b", "fsync missing"]);
  });

  test("replace is durable at once: a crash keeps it whole", () => {
    const { disk } = recordingDisk();
    disk.write("snap", "old");
    disk.fsync("snap");
    disk.write("snap", "scratch");
    disk.replace("snap", "new");
    expect(disk.hasUnsynced()).toBe(false);
    expect(disk.crash(() => 1)).toEqual([]);
    expect(disk.read("snap")).toBe("new");
    expect(disk.durableFiles()).toEqual({ snap: "new" });
  });

  test("knows where each append since the last replace, write or crash began", () => {
    const { disk } = recordingDisk();
    expect(disk.appendOffsetsOf("log")).toEqual([]);
    disk.append("log", "abc");
    disk.append("log", "de");
    disk.append("log", "f");
    expect(disk.appendOffsetsOf("log")).toEqual([0, 3, 5]);
    disk.write("log", "0123");
    expect(disk.appendOffsetsOf("log")).toEqual([]);
    disk.append("log", "x");
    expect(disk.appendOffsetsOf("log")).toEqual([4]);
    disk.replace("log", "r");
    expect(disk.appendOffsetsOf("log")).toEqual([]);
    disk.append("log", "y");
    disk.crash(() => undefined);
    expect(disk.appendOffsetsOf("log")).toEqual([]);
  });

  test("a misdirected append lands over the bytes at its offset; the file grows by its length and the end meant for it holds zeros", () => {
    const { disk, seen } = recordingDisk();
    disk.append("log", "aaa");
    disk.append("log", "bbb");
    expect(disk.appendAt("log", "cc", 3)).toBe(6);
    expect(disk.read("log")).toBe("aaaccb\0\0");
    expect(disk.appendOffsetsOf("log")).toEqual([0, 3, 6]);
    expect(seen.at(-1)).toBe("append log 2");
    // Landing at the very start, over fewer bytes than it holds.
    const other = recordingDisk().disk;
    other.append("f", "xy");
    expect(other.appendAt("f", "ZZZ", 0)).toBe(2);
    expect(other.read("f")).toBe("ZZZ\0\0");
    // A plain append returns where it landed too.
    expect(other.appendAt("f", "!", undefined)).toBe(5);
    expect(other.read("f")).toBe("ZZZ\0\0!");
  });

  test("durable length counts only fsynced bytes", () => {
    const { disk } = recordingDisk();
    expect(disk.durableLength("log")).toBe(0);
    disk.append("log", "abcd");
    expect(disk.durableLength("log")).toBe(0);
    disk.fsync("log");
    disk.append("log", "ef");
    expect(disk.durableLength("log")).toBe(4);
  });

  test("a flipped bit changes the durable byte, and the cache where it still holds the durable bytes", () => {
    const { disk } = recordingDisk();
    disk.write("f", "AAAA");
    disk.fsync("f");
    disk.flipBit("f", 1, 0);
    expect(disk.read("f")).toBe("A@AA");
    expect(disk.durableFiles()).toEqual({ f: "A@AA" });
    disk.flipBit("f", 3, 5);
    expect(disk.read("f")).toBe("A@Aa");
    // The node overwrote the end (not yet synced): a flip there strikes the medium only.
    disk.write("f", "A@Bz");
    disk.flipBit("f", 3, 0);
    disk.flipBit("f", 0, 1);
    expect(disk.read("f")).toBe("C@Bz");
    expect(disk.durableFiles()).toEqual({ f: "C@A`" });
    disk.crash(() => undefined);
    expect(disk.read("f")).toBe("C@A`");
  });

  test("a flip at the end of a cache that is a prefix of the durable bytes strikes the medium only", () => {
    const { disk } = recordingDisk();
    disk.write("f", "AB");
    disk.fsync("f");
    disk.write("f", "A");
    disk.flipBit("f", 1, 0);
    expect(disk.read("f")).toBe("A");
    expect(disk.durableFiles()).toEqual({ f: "AC" });
  });

  test("tracks unsynced writes file by file, and lists only files that exist, sorted", () => {
    const { disk } = recordingDisk();
    expect(disk.hasUnsynced()).toBe(false);
    disk.write("b", "1");
    disk.fsync("b");
    expect(disk.hasUnsynced()).toBe(false);
    disk.append("a", "2");
    expect(disk.hasUnsynced()).toBe(true);
    expect(disk.files()).toEqual(["a", "b"]);
    // A file never synced has no durable content: not even its name.
    expect(Object.keys(disk.durableFiles())).toEqual(["b"]);
    disk.fsync("a");
    expect(disk.hasUnsynced()).toBe(false);
    expect(Object.keys(disk.durableFiles())).toEqual(["a", "b"]);
  });

  test("a crash offers a tear only for files with unsynced bytes past the durable prefix, and a cut of 0 keeps nothing", () => {
    const { disk } = recordingDisk();
    disk.write("same", "abc");
    disk.fsync("same");
    disk.write("same", "ab");
    disk.append("grow", "xyz");
    const offered: string[] = [];
    const torn = disk.crash((file, limit) => (offered.push(`${file} ${limit}`), 0));
    // "same" lost bytes but has none unsynced past its durable prefix: nothing to tear.
    expect(offered).toEqual(["grow 3"]);
    expect(torn).toEqual([]);
    expect(disk.read("grow")).toBeUndefined();
    expect(disk.read("same")).toBe("abc");
  });

  test("a tear of several files keeps each prefix, in file order", () => {
    const { disk } = recordingDisk();
    disk.append("z", "12345");
    disk.append("a", "abc");
    const torn = disk.crash((file) => (file === "a" ? 2 : 4));
    expect(torn).toEqual([
      { file: "a", keptBytes: 2, lostBytes: 1 },
      { file: "z", keptBytes: 4, lostBytes: 1 },
    ]);
    expect(disk.durableFiles()).toEqual({ a: "ab", z: "1234" });
  });

  test.each([
    ["write", (disk: SimulatedDisk) => disk.write("", "x"), "disk: a file name must be a non-empty string"],
    ["append", (disk: SimulatedDisk) => disk.append(7 as never, "x"), "disk: a file name must be a non-empty string"],
    ["replace", (disk: SimulatedDisk) => disk.replace("f", 5 as never), "disk: content written to 'f' must be a string"],
    ["appendAt", (disk: SimulatedDisk) => disk.appendAt("g", null as never, 0), "disk: content written to 'g' must be a string"],
  ])("%s refuses a name or content that is not a string, and writes nothing", (_what, act, message) => {
    const { disk, seen } = recordingDisk();
    expect(() => act(disk)).toThrow(new TypeError(message));
    expect(seen).toEqual([]);
    expect(disk.files()).toEqual([]);
  });
});
