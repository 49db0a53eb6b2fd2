// dsim's exit codes, one table (the README has the same one), and how an error thrown anywhere
// maps to one. The user's mistakes are never called dsim's bugs.

import { ModelError } from "../check/modelError.ts";
import { DsimBug, NondeterminismError, ScenarioError, UsageError } from "../core/errors.ts";

/** Nothing diverged (with --expect: every variant behaved as it declares). */
export const EXIT_HOLDS = 0;
/** The protocol diverged, broke an invariant, hung past the watchdog or ran out of heap (with --expect: a variant did not behave as declared). */
export const EXIT_DIVERGES = 1;
/** Bad usage or bad input: one line on stderr, nothing written. */
export const EXIT_USAGE = 2;
/** Non-determinism found: by --check-determinism, or a scenario that used ambient time or randomness. */
export const EXIT_NONDETERMINISM = 3;
/**
 * The user's code is broken: a scenario (or a checker's model) threw while loading or running,
 * returned or sent something that is not JSON, or (a `holds` variant) its fault-free reference
 * breaks its own invariants.
 */
export const EXIT_SCENARIO = 4;
/** A checker could not decide within its budget: "unknown", never a pass. */
export const EXIT_UNKNOWN = 5;
/** An internal error: a bug in dsim (any code outside 0–5 is one). */
export const EXIT_BUG = 70;

export interface Failure {
  readonly exitCode: number;
  /** One line for stderr. */
  readonly message: string;
}

/** What to print and return for an error that reached the top of the CLI. */
export function failureOf(error: unknown): Failure {
  const firstLine = (text: string): string => text.split("\n")[0]!;
  // A usage message may come from yargs over several lines ("Invalid values:\n  Argument: ..."): one line, every part of it.
  if (error instanceof UsageError) return { exitCode: EXIT_USAGE, message: `dsim: ${oneLine(error.message)}` };
  if (error instanceof ModelError) return { exitCode: EXIT_SCENARIO, message: `dsim: model error: ${firstLine(error.message)} (the model is broken, not the history)` };
  if (error instanceof ScenarioError) return { exitCode: EXIT_SCENARIO, message: `dsim: scenario error: ${firstLine(error.message)}` };
  if (error instanceof NondeterminismError) return { exitCode: EXIT_NONDETERMINISM, message: `dsim: non-determinism: ${firstLine(error.message)}` };
  const message = error instanceof Error ? error.message : String(error);
  const what = error instanceof DsimBug ? "internal assertion failed" : "internal error";
  return { exitCode: EXIT_BUG, message: `dsim: ${what} (a bug in dsim, please report it): ${firstLine(message)}` };
}

function oneLine(text: string): string {
  return text.split("\n").map((line) => line.trim()).filter((line) => line !== "").join(" ");
}

/** The judged part of a sweep's summary entry. */
interface JudgedEntry {
  readonly expect: "holds" | "diverges";
  readonly verdict: "holds" | "diverges" | "nondeterministic" | "scenario-error" | "hung" | "out-of-memory";
  readonly expectationMet: boolean;
  readonly divergences: number;
  readonly scenarioError: { readonly kind: "scenario" | "nondeterminism" } | null;
  /** A seed that did not finish (hung, out of memory): a failure of the scenario, whatever it declares. */
  readonly lost: unknown;
}

/**
 * A sweep's exit code. Trouble that is not a verdict comes first: non-determinism (found by the
 * check, or a scenario's ambient time or randomness) 3, then a broken scenario 4. A shard sees only
 * part of each seed budget: whether a `diverges` variant was caught is for the merge to say, so a
 * shard in CI mode fails only when a `holds` variant diverges.
 */
export function sweepExitCode(entries: readonly JudgedEntry[], expectMode: boolean, sharded = false): number {
  if (entries.some((entry) => entry.verdict === "nondeterministic" || entry.scenarioError?.kind === "nondeterminism")) return EXIT_NONDETERMINISM;
  if (entries.some((entry) => entry.scenarioError !== null)) return EXIT_SCENARIO;
  const judged = sharded ? entries.filter((entry) => entry.expect === "holds") : entries;
  if (expectMode) return judged.every((entry) => entry.expectationMet) ? EXIT_HOLDS : EXIT_DIVERGES;
  return entries.some((entry) => entry.divergences > 0 || entry.lost !== null) ? EXIT_DIVERGES : EXIT_HOLDS;
}
