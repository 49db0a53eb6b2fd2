// The machine's own ceiling for two workers: one single-threaded CPU-bound job run alone, then two
// copies of it at once, in separate processes, in turn (alone, pair, alone, pair, ...). If each copy
// of a pair takes longer than the job alone (wall clock) although its CPU seconds stay the same,
// the cores do not give 2× and no pool of workers can: `--workers 2` over 1 is bounded by
// 2 / (pair wall / alone wall). Two jobs: a pure-JS integer loop (small working set) and an
// allocating loop (short-lived objects, as an execution makes). Then dsim's own workload, end to
// end: one `dsim sweep` of Raft on one worker alone; the same seeds as two processes at once, each
// half of them (`--shard 0/2`, `--shard 1/2`, one worker each); and one process on two workers. The
// two half-processes are the best a 2-way split of this workload can do on this machine (each has
// its own JIT and garbage collector, whose threads the sweep alone runs on the idle core): the
// two-worker figure is measured against that ceiling as well as against 2. Only meaningful on an
// otherwise idle machine: the load is printed beside each line.
// Run: node --import tsx bench/ceiling.ts   (DSIM_BENCH_QUICK=1: shorter jobs, fewer rounds)

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadavg } from "node:os";
import { median } from "./floor.ts";

const QUICK = process.env.DSIM_BENCH_QUICK === "1";
const ROUNDS = QUICK ? 3 : 5;
const SCALE = QUICK ? 0.3 : 1;

/** Each job prints its own CPU seconds (user + system) as its last line. */
const PRINT_CPU = "const c = process.cpuUsage(); console.log((c.user + c.system) / 1e6);";
const JOBS = {
  "pure-JS loop": `let x = 123456789, s = 0; for (let i = 0; i < ${Math.round(6e8 * SCALE)}; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; s = (s + (x & 1023)) | 0; } if (s === 42) console.log(s); ${PRINT_CPU}`,
  "allocating loop": `let keep = 0; for (let r = 0; r < ${Math.round(300 * SCALE)}; r++) { const m = new Map(); for (let i = 0; i < 100000; i++) { const o = { a: i, b: [i, i + 1, String(i)], c: { d: i * 2 } }; m.set(i & 4095, o); keep += o.b.length; } } if (keep === 1) console.log(keep); ${PRINT_CPU}`,
} as const;

interface Run {
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
}

function runCopy(code: string, startedMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`the job exited with ${code}`));
      else resolve({ wallSeconds: (performance.now() - startedMs) / 1000, cpuSeconds: Number(output.trim().split("\n").pop()) });
    });
  });
}

async function copiesAtOnce(code: string, copies: number): Promise<Run[]> {
  const startedMs = performance.now();
  return Promise.all(Array.from({ length: copies }, () => runCopy(code, startedMs)));
}

export async function runCeilingBench(): Promise<void> {
  console.log(`machine ceiling: one job alone vs two copies at once (separate processes), median of ${ROUNDS} rounds`);
  for (const [name, code] of Object.entries(JOBS)) {
    const alone: Run[] = [];
    const pair: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      alone.push(...(await copiesAtOnce(code, 1)));
      pair.push(...(await copiesAtOnce(code, 2)));
    }
    const wallAlone = median(alone.map((run) => run.wallSeconds));
    const wallPair = median(pair.map((run) => run.wallSeconds));
    const cpuAlone = median(alone.map((run) => run.cpuSeconds));
    const cpuPair = median(pair.map((run) => run.cpuSeconds));
    console.log(
      `  ${name.padEnd(16)} alone ${wallAlone.toFixed(2)} s wall ${cpuAlone.toFixed(2)} s CPU; two at once ${wallPair.toFixed(2)} s wall ${cpuPair.toFixed(2)} s CPU each: ` +
        `wall ×${(wallPair / wallAlone).toFixed(3)}, CPU ×${(cpuPair / cpuAlone).toFixed(3)} → 2 cores give at most ${(2 * wallAlone / wallPair).toFixed(2)}× (load ${loadavg()[0]!.toFixed(1)})`,
    );
  }
}

/** The sweep the workload ceiling times: Raft, which holds (no shrink), on swarm faults. */
const SWEEP_SEEDS = QUICK ? 600 : 3000;
const SWEEP_ROUNDS = QUICK ? 1 : 3;
const DSIM = new URL("../bin/dsim.js", import.meta.url).pathname;

/** Wall-clock seconds of `dsim sweep` commands started at once, until the last ends. */
function sweepsAtOnce(argumentLists: readonly (readonly string[])[], out: string): Promise<number> {
  const startedMs = performance.now();
  return Promise.all(
    argumentLists.map(
      (extra, index) =>
        new Promise<void>((resolve, reject) => {
          const args = [DSIM, "sweep", "consensus", "--variant", "raft", "--seeds", String(SWEEP_SEEDS), "--out", join(out, String(index)), ...extra];
          const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "inherit"] });
          child.on("error", reject);
          child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`dsim ${args.slice(1).join(" ")} exited with ${code}`))));
        }),
    ),
  ).then(() => (performance.now() - startedMs) / 1000);
}

/** dsim's workload end to end: one worker; two half-processes at once (the ceiling); two workers. */
export async function runWorkloadCeilingBench(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), "dsim-ceiling-"));
  try {
    console.log(`workload ceiling: dsim sweep consensus --variant raft --seeds ${SWEEP_SEEDS}, whole commands, median of ${SWEEP_ROUNDS} rounds`);
    const alone: number[] = [];
    const halves: number[] = [];
    const workers: number[] = [];
    for (let round = 0; round < SWEEP_ROUNDS; round++) {
      alone.push(await sweepsAtOnce([["--workers", "1"]], out));
      halves.push(await sweepsAtOnce([["--workers", "1", "--shard", "0/2"], ["--workers", "1", "--shard", "1/2"]], out));
      workers.push(await sweepsAtOnce([["--workers", "2"]], out));
    }
    const [wallAlone, wallHalves, wallWorkers] = [median(alone), median(halves), median(workers)];
    console.log(`  one process, 1 worker         ${wallAlone.toFixed(2)} s`);
    console.log(`  two processes, half each      ${wallHalves.toFixed(2)} s  → this workload's 2-core ceiling ${(wallAlone / wallHalves).toFixed(2)}×`);
    console.log(`  one process, --workers 2      ${wallWorkers.toFixed(2)} s  → ${(wallAlone / wallWorkers).toFixed(2)}× (target ≥ 1.8; ${(wallHalves / wallWorkers).toFixed(2)} of the ceiling) (load ${loadavg()[0]!.toFixed(1)})`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runCeilingBench();
  await runWorkloadCeilingBench();
}
