// An Io for calling CLI commands in-process: keeps what they print, no colour, no terminal.

import { Chalk } from "chalk";
import type { Io } from "../src/cli/io.ts";

export interface CapturedIo extends Io {
  readonly stdout: string[];
  readonly stderr: string[];
}

export function captureIo(): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (text) => void stdout.push(text), error: (text) => void stderr.push(text), color: new Chalk({ level: 0 }), isTerminal: false };
}
