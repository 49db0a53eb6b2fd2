// Files at dsim's boundary: atomic writes (a temporary file beside the target, renamed over it, so a
// crash of dsim never leaves a half-written report) and reading a JSON file, where every way it can
// fail is the user's input error with one line naming the file.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { UsageError } from "./errors.ts";

export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporaryPath = `${path}.${process.pid}.tmp`;
  writeFileSync(temporaryPath, text);
  renameSync(temporaryPath, path);
}

/** Reads a text file; `what` names it in the one-line error ("history file", "replay file"). */
export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is a folder, not a file" : "cannot be read";
    throw new UsageError(`${what} '${path}' ${reason}`);
  }
}

/** Reads and parses a JSON file; `what` names it in errors ("replay file", "fault profile file"). */
export function readJsonFile(path: string, what: string): unknown {
  const text = readTextFile(path, what);
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${what} '${path}' is not valid JSON`);
  }
}
