// The report folder's guarantees, piece by piece: one writer at a time (a live lock refuses, a
// stale one is taken over), the previous report's own files replaced at once by a summary that
// says it is partial, temporary files of dead processes removed; atomic writes leave nothing
// behind when they fail, and every file-system failure is one line naming the file.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { UsageError } from "../../src/core/errors.ts";
import { checkWritableFile, readJsonFile, writeFileAtomic } from "../../src/core/files.ts";
import { LOCK_FILE, OutFolder } from "../../src/report/outFolder.ts";
import { temporaryFolder } from "../fixtures/cli.ts";

/** A process id that no process has any more. */
function deadProcessId(): number {
  return Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
}

describe("the output folder", () => {
  test("a folder locked by a live process is refused, with its process and command", () => {
    const out = temporaryFolder();
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid: process.ppid, command: "dsim sweep other" }));
    expect(() => OutFolder.claim(out, "dsim sweep mine")).toThrow(new RegExp(`being written by another dsim \\(process ${process.ppid}: dsim sweep other\\)`));
  });

  test("twice in one process: the second claim is refused until the first is released", () => {
    const out = temporaryFolder();
    const first = OutFolder.claim(out, "dsim sweep first");
    expect(() => OutFolder.claim(out, "dsim sweep second")).toThrow(UsageError);
    first.release();
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
    OutFolder.claim(out, "dsim sweep second").release();
  });

  test("a stale lock is taken over; the previous report's files go, a partial summary says so, a dead process's temporary file is removed", () => {
    const out = temporaryFolder();
    const dead = deadProcessId();
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid: dead, command: "dsim sweep killed" }));
    for (const file of ["summary.json", "seeds.jsonl", "index.html", "kept.txt", `summary.json.${dead}.tmp`]) writeFileSync(join(out, file), "old");
    const folder = OutFolder.claim(out, "dsim sweep new");
    expect(existsSync(join(out, "summary.json"))).toBe(false);
    expect(existsSync(join(out, "seeds.jsonl"))).toBe(false);
    expect(existsSync(join(out, "index.html"))).toBe(false);
    expect(existsSync(join(out, `summary.json.${dead}.tmp`))).toBe(false);
    expect(readFileSync(join(out, "kept.txt"), "utf8")).toBe("old");
    folder.writeSummary({ sweeps: [] }, false);
    expect(JSON.parse(readFileSync(join(out, "summary.json"), "utf8"))).toEqual({ sweeps: [], complete: false });
    folder.release();
  });
});

describe("files at the boundary", () => {
  test("an atomic write that cannot happen is a usage error naming the file, and leaves no temporary file", () => {
    const folder = temporaryFolder();
    mkdirSync(join(folder, "taken.json"));
    expect(() => writeFileAtomic(join(folder, "taken.json"), "{}")).toThrow(/cannot write '.*taken\.json': EISDIR/);
    expect(existsSync(join(folder, `taken.json.${process.pid}.tmp`))).toBe(false);
  });

  test("a JSON file past its bound, a folder, a device: refused before reading", () => {
    const folder = temporaryFolder();
    writeFileSync(join(folder, "big.json"), "[" + "0,".repeat(600) + "0]");
    expect(() => readJsonFile(join(folder, "big.json"), "profile", 1024)).toThrow(/holds .* MB, more than the .* MB it may hold/);
    expect(() => readJsonFile(folder, "profile", 1024)).toThrow(/is a folder, not a file/);
    expect(() => readJsonFile("/dev/zero", "profile", 1024)).toThrow(/is not a regular file/);
  });

  test("a file target that is a folder is refused", () => {
    expect(() => checkWritableFile(".", "--junit '.'")).toThrow("--junit '.' is a folder: give the path of a file");
  });
});
