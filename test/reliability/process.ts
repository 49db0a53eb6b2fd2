// The dsim binary as a real process, bounded in time: a test never waits for a hang. A process
// still running at its limit is killed (SIGKILL) and reported as such, so the assertion that fails
// says it hung instead of the suite timing out.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export interface ProcessRun {
  /** The exit code, or null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Killed at the test's limit: it would have hung. */
  readonly killedAtLimit: boolean;
}

/** The environment of a child process, without what tells it that it runs inside vitest. */
export function childEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { NO_COLOR: "1" };
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("VITEST") && name !== "NODE_ENV" && name !== "FORCE_COLOR") environment[name] = value;
  }
  return environment;
}

export interface Started {
  readonly child: ChildProcess;
  readonly done: Promise<ProcessRun>;
}

/** Starts `dsim args` in `cwd` (the repository's folder by default); it is killed if still running after `limitMs`. */
export function startDsim(args: readonly string[], limitMs: number, cwd = process.cwd()): Started {
  const child = spawn(process.execPath, [resolve("bin/dsim.js"), ...args], { cwd, stdio: ["ignore", "pipe", "pipe"], env: childEnvironment() });
  let stdout = "";
  let stderr = "";
  let killedAtLimit = false;
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => {
    killedAtLimit = true;
    child.kill("SIGKILL");
  }, limitMs);
  const done = new Promise<ProcessRun>((resolveRun, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code, signal, stdout, stderr, killedAtLimit });
    });
  });
  return { child, done };
}

export function runDsim(args: readonly string[], limitMs = 60_000, cwd?: string): Promise<ProcessRun> {
  return startDsim(args, limitMs, cwd).done;
}

/** The lines of a stream's text, without the empty last one. */
export function linesOf(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

/** Waits until `check` holds, polling; false if it did not within `limitMs`. */
export async function eventually(check: () => boolean, limitMs: number): Promise<boolean> {
  for (const startedMs = performance.now(); performance.now() - startedMs < limitMs; ) {
    if (check()) return true;
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  return check();
}

/** Every file under a folder, relative paths. */
export function filesUnder(folder: string): string[] {
  return existsSync(folder) ? (readdirSync(folder, { recursive: true }) as string[]) : [];
}

/**
 * Whether a report folder tells the truth: its summary.json names only replay files that exist and
 * record the seed, variant and verdict it says, and no temporary file is left. (Its paths are
 * relative to the folder.)
 */
export function reportProblems(folder: string): string[] {
  const problems: string[] = [];
  const files = filesUnder(folder);
  for (const file of files) if (file.endsWith(".tmp")) problems.push(`temporary file left: ${file}`);
  const summaryPath = join(folder, "summary.json");
  if (!existsSync(summaryPath)) return problems;
  const summary = JSON.parse(readFileSync(summaryPath, "utf8")) as { sweeps?: Entry[] } & Entry;
  for (const entry of summary.sweeps ?? [summary]) {
    const named: { file: string; seed: number; verdicts: string[] }[] = [];
    if (entry.firstDivergence) named.push({ file: entry.firstDivergence.replayFile, seed: entry.firstDivergence.seed, verdicts: ["diverges"] });
    if (entry.lost) named.push({ file: entry.lost.replayFile, seed: entry.lost.seed, verdicts: [entry.lost.verdict] });
    for (const { file: stored, seed, verdicts } of named) {
      const file = resolve(folder, stored);
      if (!existsSync(file)) {
        problems.push(`${entry.variant}: ${file} is missing`);
        continue;
      }
      const replay = JSON.parse(readFileSync(file, "utf8")) as { seed: number; variant: string; expected: { verdict: string } };
      if (replay.seed !== seed || replay.variant !== entry.variant || !verdicts.includes(replay.expected.verdict)) {
        problems.push(`${entry.variant}: ${file} records seed ${replay.seed} ${replay.variant} ${replay.expected.verdict}, the summary says seed ${seed}`);
      }
    }
  }
  return problems;
}

interface Entry {
  readonly variant: string;
  readonly firstDivergence?: { readonly seed: number; readonly replayFile: string } | null;
  readonly lost?: { readonly seed: number; readonly verdict: string; readonly replayFile: string } | null;
}
