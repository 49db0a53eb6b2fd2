// The output folder of a sweep or a merge (--out), which must never hold a report that lies.
//
// One writer at a time: the folder is claimed with a lock file (`.dsim-lock`, holding the writer's
// process id) created exclusively; a second sweep into it is refused with a message naming the
// first, and a lock whose process is gone is taken over. Once claimed, the previous report's
// summary is replaced at once by this run's, marked `"complete": false` and rewritten after each
// variant, so an interrupted sweep leaves a partial summary that says so and agrees with the replay
// files it names; the last write says `"complete": true`. Replay files of earlier runs that no
// summary names may remain (the folder may hold other things the user keeps there): only
// summary.json, seeds.jsonl and index.html are the sweep's own, and each describes this run.
//
// Chosen over a fresh folder switched into place: --out may hold files that are not dsim's (a
// README, `dsim run`'s replay files, the user's own), which a switch would delete, and a
// folder cannot be swapped atomically on every system.

import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../core/errors.ts";
import { checkWritableFolder, reasonOf, writeFileAtomic } from "../core/files.ts";
import { summaryToStore } from "./summaryPaths.ts";

export const LOCK_FILE = ".dsim-lock";
/** The files of the previous report that a new run replaces (or removes until it writes its own). */
const REPORT_FILES = ["summary.json", "seeds.jsonl", "index.html"] as const;
/** Folders this process holds (a lock with our own process id is ours only if listed here). */
const held = new Set<string>();

interface LockData {
  readonly pid: number;
  readonly command: string;
}

export class OutFolder {
  private released = false;

  private constructor(readonly path: string) {}

  /** Claims `path` for this process's `command` ("dsim sweep ..."): checks, locks, marks the previous report partial. */
  static claim(path: string, command: string): OutFolder {
    checkWritableFolder(path, `--out '${path}'`);
    const lock = join(path, LOCK_FILE);
    const data: LockData = { pid: process.pid, command };
    if (!tryLock(lock, data)) {
      const holder = readLock(lock);
      if (holder !== undefined && isAlive(holder.pid) && (holder.pid !== process.pid || held.has(path))) {
        throw new UsageError(`--out '${path}' is being written by another dsim (process ${holder.pid}: ${holder.command}); wait for it to end, or give another --out (if that process is not dsim, remove ${lock})`);
      }
      writeFileSync(lock, JSON.stringify(data));
    }
    held.add(path);
    const folder = new OutFolder(path);
    removeTemporaryFilesOfDeadProcesses(path);
    for (const file of REPORT_FILES) rmSync(join(path, file), { force: true });
    return folder;
  }

  /** Writes summary.json: this run's document, marked complete or not, its paths relative to the folder. */
  writeSummary(document: object, complete: boolean): void {
    writeFileAtomic(join(this.path, "summary.json"), `${JSON.stringify({ ...summaryToStore(document, this.path), complete }, null, 2)}\n`);
  }

  /** Lets another writer in. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this.path);
    const lock = join(this.path, LOCK_FILE);
    if (readLock(lock)?.pid === process.pid) rmSync(lock, { force: true });
  }
}

function tryLock(lock: string, data: LockData): boolean {
  try {
    writeFileSync(lock, JSON.stringify(data), { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new UsageError(`cannot lock '${lock}': ${reasonOf(error)}`);
  }
}

function readLock(lock: string): LockData | undefined {
  try {
    const data = JSON.parse(readFileSync(lock, "utf8")) as Partial<LockData>;
    return typeof data.pid === "number" && Number.isSafeInteger(data.pid) ? { pid: data.pid, command: String(data.command ?? "dsim") } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this id runs (a process we may not signal runs too). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes `<file>.<pid>.tmp` files under `folder` left by a dsim that was killed before it could. */
function removeTemporaryFilesOfDeadProcesses(folder: string): void {
  for (const entry of readdirSync(folder, { recursive: true }) as string[]) {
    const match = /\.(\d+)\.tmp$/.exec(entry);
    if (match !== null && !isAlive(Number(match[1]))) rmSync(join(folder, entry), { force: true });
  }
}

/** Removes the temporary files this process (any of its threads) left under `folder`. */
export function removeOwnTemporaryFiles(folder: string): void {
  let entries: string[];
  try {
    entries = readdirSync(folder, { recursive: true }) as string[];
  } catch {
    return;
  }
  const suffix = `.${process.pid}.tmp`;
  for (const entry of entries) if (entry.endsWith(suffix)) rmSync(join(folder, entry), { force: true });
}
