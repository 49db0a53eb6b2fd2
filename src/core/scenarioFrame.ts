// Where in the user's code something happened: the first frame of a stack that lies in neither
// dsim's own sources, nor a dependency (node_modules), nor Node itself. A scenario error names it
// (`at scenarios/bank.ts:41:9`) so the message points at the user's line, never at dsim's.

import { isAbsolute, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** dsim's own sources (src/) and its binary (bin/): frames there are dsim's, not the scenario's. */
const DSIM_FOLDERS: readonly string[] = [fileURLToPath(new URL("../", import.meta.url)), fileURLToPath(new URL("../../bin/", import.meta.url))];

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
    const shown = relative(process.cwd(), file);
    return `${shown.startsWith("..") || isAbsolute(shown) ? file : shown}:${match[2]}:${match[3]}`;
  }
  return undefined;
}

/** ` (at path:line:column)` for a message, or nothing when no frame is the user's. */
export function atScenarioFrame(error: unknown): string {
  const frame = scenarioFrameOf(error);
  return frame === undefined ? "" : ` (at ${frame})`;
}
