// Executions that did not finish: one that ran past the watchdog's wall-clock limit (`hung`) or past
// its worker's heap limit (`out-of-memory`). Only an execution run on a worker thread can be lost:
// the CLI runs every execution there, stops it, and reports the seed as a result of its own (a
// failure of the scenario, exit 1), with a replay file that records the limits it ran under.

import { totalmem } from "node:os";

/** What became of an execution that did not finish. */
export const LOST_VERDICTS = ["hung", "out-of-memory"] as const;
export type LostVerdict = (typeof LOST_VERDICTS)[number];

export function isLostVerdict(verdict: string): verdict is LostVerdict {
  return (LOST_VERDICTS as readonly string[]).includes(verdict);
}

/** The limits a worker runs one execution under. */
export interface WatchdogLimits {
  /** Wall-clock time one execution may take before it is stopped and reported `hung`. */
  readonly executionTimeoutMs: number;
  /** The worker's heap (V8 old generation): past it the execution is reported `out-of-memory`. */
  readonly heapMaxMb: number;
}

/** Generous: the built-in scenarios' slowest execution takes well under a second. */
export const DEFAULT_EXECUTION_TIMEOUT_MS = 60_000;
/** The largest default heap of one worker; less when the machine's memory shared among workers is less. */
export const HEAP_MAX_MB_DEFAULT_CEILING = 2048;
/** The smallest heap a worker may be given: loading dsim and a scenario takes about 50 MB. */
export const HEAP_MAX_MB_MIN = 64;

/** The limits of `workers` workers when none are asked for. */
export function defaultWatchdogLimits(workers: number): WatchdogLimits {
  return { executionTimeoutMs: DEFAULT_EXECUTION_TIMEOUT_MS, heapMaxMb: defaultHeapMaxMb(totalmem(), workers) };
}

/** The default heap of each of `workers` workers: half the machine's memory, shared, at most the ceiling. */
export function defaultHeapMaxMb(totalMemoryBytes: number, workers: number): number {
  const shareMb = Math.floor(totalMemoryBytes / 2 ** 20 / 2 / Math.max(1, workers));
  return Math.max(HEAP_MAX_MB_MIN, Math.min(HEAP_MAX_MB_DEFAULT_CEILING, shareMb));
}

/** An execution that did not finish, as a worker pool reports it. */
export interface LostExecution {
  readonly verdict: LostVerdict;
  /** One line: what happened and under which limit. */
  readonly message: string;
}

export function lostMessage(verdict: LostVerdict, limits: WatchdogLimits): string {
  return verdict === "hung"
    ? `the execution did not finish within ${limits.executionTimeoutMs} ms of wall-clock time (the watchdog stopped it)`
    : `the execution ran out of its worker's ${limits.heapMaxMb} MB heap`;
}
