// Where the CLI writes: stdout and stderr, swappable so tests can call commands in-process.
// Colour comes from chalk, off when NO_COLOR is set or stdout is not a terminal.
// A reader that goes away (`dsim list | head -1`: EPIPE) silences that stream and nothing else:
// the command still finishes and exits with its own code. Any other write error (a full disk
// behind `> out.txt`) is one line on stderr and exit 2.

import { Chalk, type ChalkInstance } from "chalk";
import { EXIT_USAGE } from "./exitCodes.ts";

export interface Io {
  out(text: string): void;
  error(text: string): void;
  readonly color: ChalkInstance;
  readonly isTerminal: boolean;
}

/** Errors that mean the reader closed the stream, or that we wrote after it closed. */
const CLOSED_STREAM_CODES: ReadonlySet<string> = new Set(["EPIPE", "ECONNRESET", "ERR_STREAM_DESTROYED", "ERR_STREAM_WRITE_AFTER_END"]);

interface GuardedStream {
  open: boolean;
}

const guarded = new WeakMap<NodeJS.WriteStream, GuardedStream>();

/** The stream's guard, installed once per stream: every writer (ours, yargs, the progress bar) is covered. */
function guard(stream: NodeJS.WriteStream, name: "stdout" | "stderr"): GuardedStream {
  const existing = guarded.get(stream);
  if (existing !== undefined) return existing;
  const state: GuardedStream = { open: true };
  guarded.set(stream, state);
  stream.on("error", (error: NodeJS.ErrnoException) => {
    state.open = false;
    if (error.code !== undefined && CLOSED_STREAM_CODES.has(error.code)) return;
    if (name === "stdout") writeLine(process.stderr, `dsim: cannot write to stdout: ${error.message}`);
    process.exit(EXIT_USAGE);
  });
  return state;
}

function writeLine(stream: NodeJS.WriteStream, text: string): void {
  const state = guarded.get(stream);
  if (state !== undefined && !state.open) return;
  if (stream.destroyed || !stream.writable) return;
  stream.write(`${text}\n`);
}

export function processIo(): Io {
  guard(process.stdout, "stdout");
  guard(process.stderr, "stderr");
  const isTerminal = process.stdout.isTTY === true;
  const colored = isTerminal && process.env.NO_COLOR === undefined;
  return {
    out: (text) => writeLine(process.stdout, text),
    error: (text) => writeLine(process.stderr, text),
    color: new Chalk({ level: colored ? 1 : 0 }),
    isTerminal,
  };
}

/** Wall-clock milliseconds, for timing sweeps. Never used on the simulation path. */
export function wallClockMs(): number {
  return performance.now();
}
