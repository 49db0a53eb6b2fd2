// Where in the user's code something happened: the first frame of a stack that lies in neither
// dsim's own sources, nor a dependency (node_modules), nor Node itself. A scenario error names it
// (`at scenarios/bank.ts:41:9`) so the message points at the user's line, never at dsim's; a syntax
// error is named by its own location (`bank.ts:3:15: Expected ";"`).

import { isAbsolute, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { PACKAGE_ROOT } from "./ownModules.ts";

/** dsim's own modules (src/, or dist/src/ compiled) and its binary (bin/): frames there are dsim's, not the scenario's. */
const DSIM_FOLDERS: readonly string[] = [fileURLToPath(new URL("../", import.meta.url)), join(PACKAGE_ROOT, "bin", sep)];

/** `at (file:line:column)` or `at file:line:column`, with or without a file:// URL. */
const FRAME = /^\s*at (?:.*? \()?(?:file:\/\/)?(\/[^()]*?|[A-Za-z]:\\[^()]*?):(\d+):(\d+)\)?$/;

/** The user's first frame in an error's stack, as `path:line:column` (relative to the working folder), if any. */
export function scenarioFrameOf(error: unknown): string | undefined {
  const stack = error instanceof Error ? error.stack : undefined;
  if (stack === undefined) return undefined;
  for (const line of stack.split("\n")) {
    const match = FRAME.exec(line);
    if (match === null) continue;
    const file = match[1]!;
    if (DSIM_FOLDERS.some((folder) => file.startsWith(folder)) || file.includes(`${sep}node_modules${sep}`)) continue;
    return `${shownPath(file)}:${match[2]}:${match[3]}`;
  }
  return undefined;
}

/** A path as messages show it: relative to the working folder when inside it, else as it is. */
function shownPath(file: string): string {
  const shown = relative(process.cwd(), file);
  return shown.startsWith("..") || isAbsolute(shown) ? file : shown;
}

/** esbuild's (tsx's) error line: `/path/file.ts:3:14: ERROR: Expected ";" but found ")"`, its column from 0. */
const TRANSFORM_ERROR = /^(.+?):(\d+):(\d+): ERROR: (.*)$/;

/**
 * A syntax error tsx met while compiling a scenario file: `file:line:column: message` for each
 * (the column from 1, as editors and tsc count), or undefined when the error is not one. tsx's own
 * message is only "Transform failed with 1 error:" on its first line, the location below it.
 */
export function syntaxErrorOf(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : undefined;
  if (message === undefined || !message.startsWith("Transform failed")) return undefined;
  const located = message.split("\n").flatMap((line) => {
    const match = TRANSFORM_ERROR.exec(line.trim());
    return match === null ? [] : [`${shownPath(match[1]!)}:${match[2]}:${Number(match[3]) + 1}: ${match[4]}`];
  });
  return located.length === 0 ? undefined : located.join("; ");
}

/** ` (at path:line:column)` for a message, or nothing when no frame is the user's. */
export function atScenarioFrame(error: unknown): string {
  const frame = scenarioFrameOf(error);
  return frame === undefined ? "" : ` (at ${frame})`;
}
