// When dsim is interrupted (SIGINT: Ctrl-C; SIGTERM: a CI job cancelled): the commands at work
// register what must not be left behind (temporary files, a lock, workers), and the process ends
// with 128 + the signal's number (130, 143) after one line on stderr. A sweep's summary.json is
// rewritten after each variant, so what it leaves is a partial report that says so.

import { removeTemporaryFiles } from "../core/files.ts";

const cleanups = new Set<() => void>();
let installed = false;

/** Registers work to undo if the process is interrupted; returns the function that unregisters it. */
export function onInterrupt(cleanup: () => void): () => void {
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
      for (const cleanup of cleanups) {
        try {
          cleanup();
        } catch {
          // Best effort: the next cleanup still runs, and the process still ends.
        }
      }
      removeTemporaryFiles();
      process.stderr.write(`dsim: interrupted by ${signal}; a sweep's summary.json says "complete": false\n`);
      process.exit(exitCode);
    });
  }
}
