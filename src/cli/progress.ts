// The sweep's progress bar on a terminal: seeds done, divergences, ETA (cli-progress, on stderr).
// None when stdout is not a terminal or --json is given: then the sweep prints nothing but results.

import cliProgress from "cli-progress";
import type { Io } from "./io.ts";

export interface Progress {
  /** A variant's sweep advanced: `done` of its seeds run, `divergences` found so far (several variants may advance at once). */
  advance(label: string, done: number, divergences: number): void;
  /** A variant's sweep ended after `done` of its `budget` seeds (it may stop early): its budget counts as done. */
  finish(label: string, done: number, budget: number): void;
  /** Prints a line of results above the bar. */
  print(write: () => void): void;
  stop(): void;
}

const SILENT: Progress = { advance: () => undefined, finish: () => undefined, print: (write) => write(), stop: () => undefined };

export function startProgress(io: Io, json: boolean, totalSeeds: number): Progress {
  if (!io.isTerminal || json) return SILENT;
  const bar = new cliProgress.SingleBar(
    { format: "{bar} {value}/{total} seeds | {divergences} divergences | ETA {eta_formatted} | {label}", hideCursor: true, clearOnComplete: true, etaBuffer: 500 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(totalSeeds, 0, { divergences: 0, label: "" });
  const seedsOf = new Map<string, number>();
  const divergencesOf = new Map<string, number>();
  const sum = (counts: ReadonlyMap<string, number>) => [...counts.values()].reduce((total, count) => total + count, 0);
  const update = (label?: string) => bar.update(sum(seedsOf), { divergences: sum(divergencesOf), ...(label === undefined ? {} : { label }) });
  return {
    advance(label, done, divergences) {
      seedsOf.set(label, done);
      divergencesOf.set(label, divergences);
      update(label);
    },
    finish(label, _done, budget) {
      seedsOf.set(label, budget);
      update();
    },
    print(write) {
      process.stderr.write("\r\x1b[2K");
      write();
      bar.render();
    },
    stop: () => bar.stop(),
  };
}
