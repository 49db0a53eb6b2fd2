// When dsim is interrupted (SIGINT: Ctrl-C; SIGTERM: a CI job cancelled): the commands at work
// register what must not be left behind (temporary files, a lock, workers), and the process ends
// with 128 + the signal's number (130, 143) after one line on stderr. A sweep's summary.json is
// rewritten after each variant, so what it leaves is a partial report that says so.

import { removeTemporaryFiles } from "../core/files.ts";

type Cleanup = () => void | Promise<void>;

const cleanups = new Set<Cleanup>();
/** How long the cleanups may take before the process ends anyway. */
const CLEANUP_MS_MAX = 5_000;
let installed = false;
/** The exit code of the signal being handled, once one has arrived. */
let interruptedExitCode: number | undefined;

/** The exit code of the interruption under way (what is thrown meanwhile is its echo, not news). */
export function interruption(): number | undefined {
  return interruptedExitCode;
}

/** Registers work to undo if the process is interrupted; returns the function that unregisters it. */
export function onInterrupt(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;

/** Installs the handlers (the binary does, once; in-process callers of main() keep their own). */
export function handleInterrupts(): void {
  if (installed) return;
  installed = true;
  for (const [signal, exitCode] of Object.entries(SIGNALS)) {
    process.on(signal, () => {
      // A second signal while cleaning up: end at once.
      if (interruptedExitCode !== undefined) process.exit(exitCode);
      interruptedExitCode = exitCode;
      const bounded = new Promise<void>((resolve) => setTimeout(resolve, CLEANUP_MS_MAX).unref());
      const done = Promise.allSettled([...cleanups].map(async (cleanup) => cleanup()));
      void Promise.race([done, bounded]).then(() => {
        removeTemporaryFiles();
        process.stderr.write(`dsim: interrupted by ${signal}\n`);
        process.exit(exitCode);
      });
    });
  }
}
