// Paths inside the files dsim writes (a replay file's scenario file, a summary's replay files and
// pages) are stored relative to the folder of the file that holds them, with `/` separators: a
// reports folder moved as a CI artifact, or read from another working folder, still finds them.
// In memory, and on the console, a path is as the user would type it here: relative to the
// working folder when inside it, else absolute.

import { existsSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";

/** Whether a scenario source names a file (a path or a module file name) rather than a built-in scenario. */
export function namesScenarioFile(source: string): boolean {
  return source.includes("/") || source.includes("\\") || /\.(ts|mts|cts|js|mjs|cjs)$/.test(source);
}

/** `path` (as given here) as stored in the file at `holderFile`: relative to its folder. */
export function storedPath(path: string, holderFile: string): string {
  const stored = relative(dirname(resolve(holderFile)), resolve(path)).split(sep).join("/");
  return stored === "" ? "." : stored;
}

/** A path read from the file at `holderFile` (relative to its folder, or absolute), as a path from here. */
export function loadedPath(stored: string, holderFile: string): string {
  return pathFromHere(resolve(dirname(resolve(holderFile)), stored));
}

/** An absolute path as the user would type it here: relative to the working folder when inside it. */
export function pathFromHere(absolute: string): string {
  const shown = relative(process.cwd(), absolute);
  return shown === "" || shown.startsWith("..") || isAbsolute(shown) ? absolute : shown;
}

/** A scenario source as stored in a replay file: a file's path relative to it, a built-in's name as it is. */
export function storedScenario(source: string, holderFile: string): string {
  if (!namesScenarioFile(source)) return source;
  const stored = storedPath(source, holderFile);
  return stored.startsWith(".") ? stored : `./${stored}`;
}

/**
 * A scenario source read from a replay file, as a source from here (a file's path still looks like
 * one: `./bank.ts`). A relative path that names no file beside the replay file but does from the
 * working folder is read that way: files of dsim 0.2.0 and earlier stored the path as typed.
 */
export function loadedScenario(stored: string, holderFile: string): string {
  if (!namesScenarioFile(stored)) return stored;
  const besideHolder = resolve(dirname(resolve(holderFile)), stored);
  const absolute = !isAbsolute(stored) && !existsSync(besideHolder) && existsSync(resolve(stored)) ? resolve(stored) : besideHolder;
  const fromHere = pathFromHere(absolute);
  return isAbsolute(fromHere) || fromHere.startsWith(".") ? fromHere : `./${fromHere}`;
}
