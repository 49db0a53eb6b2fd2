// Files at dsim's boundary: atomic writes (a temporary file beside the target, renamed over it, so a
// crash of dsim never leaves a half-written report), reading a bounded text or JSON file, and the
// checks that a target can be written before any work starts. Every way these fail is the user's
// environment or input, never a bug in dsim: one line naming the file (exit 2).

import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from "node:fs";
import { dirname, join } from "node:path";
import { UsageError } from "./errors.ts";

/** Temporary files being written by this thread: removed if the process is interrupted. */
const pendingTemporaryFiles = new Set<string>();

/** Where a file is written before it is renamed into place: beside it, marked with the process. */
export function temporaryPathOf(path: string): string {
  return `${path}.${process.pid}.tmp`;
}

/** The suffix of every temporary file this process writes (worker threads share the process id). */
export function temporarySuffix(): string {
  return `.${process.pid}.tmp`;
}

export function writeFileAtomic(path: string, text: string): void {
  const temporaryPath = temporaryPathOf(path);
  pendingTemporaryFiles.add(temporaryPath);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporaryPath, text);
    renameSync(temporaryPath, path);
  } catch (error) {
    removeQuietly(temporaryPath);
    throw new UsageError(`cannot write '${path}': ${reasonOf(error)}`);
  } finally {
    pendingTemporaryFiles.delete(temporaryPath);
  }
}

/** Removes the temporary files this thread is writing (on SIGINT/SIGTERM, before exiting). */
export function removeTemporaryFiles(): void {
  for (const path of pendingTemporaryFiles) rmSync(path, { force: true });
  pendingTemporaryFiles.clear();
}

/** The file's status, or undefined if nothing is there. */
export function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The largest text file read unless the caller says otherwise: JSON.parse needs several times its size. */
export const TEXT_FILE_BYTES_MAX = 256 * 2 ** 20;

/** Reads a regular file of at most `bytesMax` bytes; `what` names it in errors ("history file", "replay file"). */
export function readTextFile(path: string, what: string, bytesMax = TEXT_FILE_BYTES_MAX): string {
  const stats = statOf(path);
  if (stats === undefined) throw new UsageError(`${what} '${path}' does not exist`);
  if (stats.isDirectory()) throw new UsageError(`${what} '${path}' is a folder, not a file`);
  if (!stats.isFile()) throw new UsageError(`${what} '${path}' is not a regular file`);
  if (stats.size > bytesMax) throw new UsageError(`${what} '${path}' holds ${megabytes(stats.size)}, more than the ${megabytes(bytesMax)} it may hold`);
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`${what} '${path}' cannot be read: ${reasonOf(error)}`);
  }
}

/** Reads and parses a JSON file of at most `bytesMax` bytes. */
export function readJsonFile(path: string, what: string, bytesMax = TEXT_FILE_BYTES_MAX): unknown {
  const text = readTextFile(path, what, bytesMax);
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${what} '${path}' is not valid JSON`);
  }
}

/**
 * Checks that files can be written in `folder` by writing and removing a probe: permission bits
 * alone do not say (a read-only mount, a process running as root). With `create`, a missing folder
 * is created (the caller is about to write there); without, the probe goes in the nearest folder
 * that exists, and nothing is left behind. `what` names the option in the error (`--out 'x'`).
 */
export function checkWritableFolder(folder: string, what: string, create = true, below?: string): void {
  const stats = statOf(folder);
  if (stats !== undefined && !stats.isDirectory()) throw new UsageError(below === undefined ? `${what} is a file, not a folder` : `${what} cannot be written: '${folder}' is a file, not a folder`);
  if (stats === undefined && !create) {
    const parent = dirname(folder);
    if (parent !== folder) return checkWritableFolder(parent, what, false, folder);
  }
  const probe = join(folder, `.dsim-probe${temporarySuffix()}`);
  try {
    if (create) mkdirSync(folder, { recursive: true });
    writeFileSync(probe, "");
  } catch (error) {
    throw new UsageError(`${what} cannot be written: ${reasonOf(error)}`);
  } finally {
    removeQuietly(probe);
  }
}

/** Removes a file if it is there; a path that cannot hold one (a file in the way) is not an error here. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing was written there.
  }
}

/** Checks that the file at `path` can be written atomically: not a folder, its folder writable. */
export function checkWritableFile(path: string, what: string): void {
  if (path === "" || path.endsWith("/") || statOf(path)?.isDirectory() === true) throw new UsageError(`${what} is a folder: give the path of a file`);
  checkWritableFolder(dirname(path), `${what}: its folder`, false);
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 2 ** 20) * 10) / 10} MB`;
}

/** The reason of a failed file operation, in a few words: `EACCES (permission denied)`. */
export function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Readonly<Record<string, string>> = {
    EACCES: "permission denied", EPERM: "operation not permitted", EROFS: "read-only file system", ENOSPC: "no space left on the device",
    ENOTDIR: "a part of the path is a file, not a folder", EISDIR: "it is a folder", ENOENT: "no such file or folder", EEXIST: "it already exists",
  };
  if (code !== undefined && reasons[code] !== undefined) return `${code} (${reasons[code]})`;
  return error instanceof Error ? error.message.split("\n")[0]! : String(error);
}
