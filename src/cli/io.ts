// Where the CLI writes: stdout and stderr, swappable so tests can call commands in-process.
// Colour comes from chalk, off when NO_COLOR is set or stdout is not a terminal.

import { Chalk, type ChalkInstance } from "chalk";

export interface Io {
  out(text: string): void;
  error(text: string): void;
  readonly color: ChalkInstance;
  readonly isTerminal: boolean;
}

export function processIo(): Io {
  const isTerminal = process.stdout.isTTY === true;
  const colored = isTerminal && process.env.NO_COLOR === undefined;
  return {
    out: (text) => void process.stdout.write(`${text}\n`),
    error: (text) => void process.stderr.write(`${text}\n`),
    color: new Chalk({ level: colored ? 1 : 0 }),
    isTerminal,
  };
}

/** Wall-clock milliseconds, for timing sweeps. Never used on the simulation path. */
export function wallClockMs(): number {
  return performance.now();
}
