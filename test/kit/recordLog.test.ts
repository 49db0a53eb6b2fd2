// The kit's record log: records survive a reopen in order; a torn tail (a line cut short, a bad
// checksum, a line that is not JSON) ends the log and is cut from the file, so the next append
// starts on a line of its own; the decoder refuses each hand-built bad line.

import { describe, expect, test } from "vitest";
import { appendRecords, decodeRecords, encodeRecord, recoverRecords } from "../../src/kit/index.ts";
import type { Disk } from "../../src/index.ts";

function memoryDisk(): Disk & { readonly synced: string[] } {
  const files = new Map<string, string>();
  const synced: string[] = [];
  return {
    synced,
    read: (file) => files.get(file),
    write: (file, content) => void files.set(file, content),
    append: (file, data) => void files.set(file, (files.get(file) ?? "") + data),
    fsync: (file) => void synced.push(file),
    replace: (file, content) => void (files.set(file, content), synced.push(file)),
    files: () => [...files.keys()].sort(),
  };
}

describe("record log", () => {
  test("a missing file is an empty log; appended records come back in order, fsynced unless sync is false", () => {
    const disk = memoryDisk();
    expect(recoverRecords(disk, "log")).toEqual({ records: [], cutLength: 0 });
    appendRecords(disk, "log", [{ a: 1 }, [2, "two"]]);
    expect(disk.synced).toEqual(["log"]);
    appendRecords(disk, "log", [null], { sync: false });
    expect(disk.synced).toEqual(["log"]);
    appendRecords(disk, "log", []);
    expect(recoverRecords(disk, "log")).toEqual({ records: [{ a: 1 }, [2, "two"], null], cutLength: 0 });
  });

  test("each line is an eight-digit checksum, a space and the JSON", () => {
    expect(encodeRecord({ key: "x" })).toMatch(/^[0-9a-f]{8} \{"key":"x"\}\n$/);
  });

  test.each([
    ["a line cut short", (line: string) => line.slice(0, 12)],
    ["a line without its newline", (line: string) => line.slice(0, -1)],
    ["a changed byte (checksum fails)", (line: string) => line.replace('"x"', '"y"')],
    ["no space after the checksum", (line: string) => line.replace(" ", "_")],
    ["a checksummed body that is not JSON", () => `${encodeRecord("x").slice(0, 8)} "x"garbage\n`],
  ])("decoding stops at %s", (_what, tear) => {
    const whole = encodeRecord(1) + encodeRecord(2);
    const text = whole + tear(encodeRecord({ key: "x" })) + encodeRecord(4);
    expect(decodeRecords(text)).toEqual({ records: [1, 2], validLength: whole.length });
  });

  test("recovery cuts the torn tail from the file and fsyncs the cut, so the next append is read back", () => {
    const disk = memoryDisk();
    appendRecords(disk, "log", [{ entry: 1 }]);
    disk.append("log", encodeRecord({ entry: 2 }).slice(0, 9)); // a crash tore the second append
    const recovered = recoverRecords(disk, "log");
    expect(recovered).toEqual({ records: [{ entry: 1 }], cutLength: 9 });
    expect(disk.read("log")).toBe(encodeRecord({ entry: 1 }));
    expect(disk.synced.at(-1)).toBe("log");
    appendRecords(disk, "log", [{ entry: 3 }]);
    expect(recoverRecords(disk, "log").records).toEqual([{ entry: 1 }, { entry: 3 }]);
  });

  test("without the cut (the flaw the kit fixes), the next append glues onto the torn line and is lost", () => {
    const disk = memoryDisk();
    appendRecords(disk, "log", [{ entry: 1 }]);
    disk.append("log", encodeRecord({ entry: 2 }).slice(0, 9));
    expect(decodeRecords(disk.read("log")!).records).toEqual([{ entry: 1 }]); // read, but not cut
    appendRecords(disk, "log", [{ entry: 3 }]);
    expect(decodeRecords(disk.read("log")!).records).toEqual([{ entry: 1 }]);
  });
});
