// Type-checking from the CLI: `dsim typecheck FILE…` and `--typecheck` on run and sweep, which
// check a scenario file before running it. Type errors are the scenario's (exit 4), listed one per
// line as `file:line:column - error TSnnnn: message`; without TypeScript the check is refused
// (exit 2) with how to install it (explore/typecheck.ts).

import { ScenarioError } from "../core/errors.ts";
import { namesScenarioFile } from "../core/storedPaths.ts";
import { diagnosticLine, DIAGNOSTICS_SHOWN_MAX, typecheckFiles, type TypecheckResult } from "../explore/typecheck.ts";
import type { Io } from "./io.ts";

export const TYPECHECK_OPTION = {
  type: "boolean",
  default: false,
  describe: "type-check the scenario file first (as dsim typecheck does); type errors: exit 4, nothing runs",
} as const;

/** The lines that list a check's errors, at most DIAGNOSTICS_SHOWN_MAX of them. */
export function diagnosticLines(result: TypecheckResult): string[] {
  const lines = result.diagnostics.slice(0, DIAGNOSTICS_SHOWN_MAX).map(diagnosticLine);
  const hidden = result.diagnostics.length - DIAGNOSTICS_SHOWN_MAX;
  if (hidden > 0) lines.push(`… and ${hidden} more`);
  return lines;
}

/** What checked, as a person reads it: `TypeScript 5.9.3, tsconfig.json` or `…, strict defaults`. */
export function checkedWith(result: TypecheckResult): string {
  return `TypeScript ${result.typescript.version}, ${result.tsconfig === null ? "strict defaults (no tsconfig.json)" : result.tsconfig}`;
}

/**
 * `--typecheck`: checks the scenario file `source` names before anything runs; its errors go to
 * stderr and end the command (exit 4). A built-in scenario was checked when dsim was built.
 */
export async function typecheckBeforeRunning(source: string, io: Io): Promise<void> {
  if (!namesScenarioFile(source)) return;
  const result = await typecheckFiles([source]);
  if (result.diagnostics.length === 0) return;
  for (const line of diagnosticLines(result)) io.error(line);
  const count = result.diagnostics.length;
  throw new ScenarioError(`scenario file '${source}' has ${count} type error${count === 1 ? "" : "s"} (${checkedWith(result)}): nothing was run`);
}
