// Benchmark of the linearizability checker against Porcupine, on Porcupine's own histories: the
// etcd logs (test_data/jepsen/etcd_*.log, a compare-and-set register: --format jepsen-log, model
// register) and the kv histories (test_data/kv/c*-ok.txt and c*-bad.txt: --format edn, model kv with
// a missing key read as ""). The histories are not in this repository: give the folder that holds
// them (Porcupine's test_data, or any folder with jepsen/ and kv/ or the files themselves).
//
// For each history it prints the expected verdict, dsim's, and Porcupine's when Porcupine timings
// are available, then per set: how many verdicts agree, the search time of dsim (explain off: the
// decision alone, as Porcupine's CheckEvents) beside Porcupine's, their ratio, a floor measured in
// the same process (one model step per operation, per partition, in call order, no search) and the
// default `dsim check` (which also minimizes a violation within its default budget). Every time is
// the median of REPEATS runs; a set's time is the sum of its histories' medians.
//
// Expected verdicts: Porcupine's porcupine_test.go says which etcd histories are linearizable (the
// list below); a kv history is linearizable when its name ends in -ok. A sidecar `expected.json` in
// the folder ({"etcd_000.log": false, "my-history.txt": true}) overrides these and adds histories
// under other names (.log files are read as Jepsen logs, .txt and .edn as EDN kv histories).
//
// Porcupine timings come from a command run in the same invocation (--porcupine CMD, or
// DSIM_PORCUPINE_CMD): it is called as `CMD -repeats 3 FILE...` and prints one JSON line per file,
// {"file": FILE, "linearizable": true|false, "medianMs": 1.23} (a small Go program over Porcupine's
// CheckEvents, with porcupine_test.go's parsers and models; see docs/checkers/linearizability.md).
// Without a command it reads those lines from `porcupine.jsonl` in the folder, if there is one.
//
// Run: node --import tsx bench/porcupine.bench.ts FOLDER [--porcupine CMD]
//      DSIM_PORCUPINE_DATA=FOLDER [DSIM_PORCUPINE_CMD=CMD] npm run bench   (after the other benchmarks;
//      without DSIM_PORCUPINE_DATA, npm run bench uses a folder porcupine-data beside the checkout if there is one)

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkLinearizability, type Model, type Operation } from "../src/index.ts";
import { parseHistoryText, type HistoryFormat } from "../src/check/historyFormats.ts";
import { createKvModel } from "../src/check/models/kv.ts";
import { registerModel } from "../src/check/models/register.ts";
import { median } from "./floor.ts";
import { medianMs } from "./linearizability.timing.ts";

const REPEATS = 3;

/** The etcd histories porcupine_test.go (TestEtcdJepsen...) expects to be linearizable; every other one is not. */
const ETCD_LINEARIZABLE = new Set([2, 5, 7, 18, 25, 31, 38, 45, 48, 49, 51, 53, 56, 67, 75, 76, 80, 87, 92, 98, 100, 101, 102]);

type AnyModel = Model<unknown, unknown, unknown>;

interface HistorySet {
  readonly name: string;
  readonly format: HistoryFormat;
  readonly model: AnyModel;
}

const ETCD: HistorySet = { name: "etcd", format: "jepsen-log", model: registerModel as unknown as AnyModel };
const KV: HistorySet = { name: "kv", format: "edn", model: createKvModel({ initial: "" }) as unknown as AnyModel };

interface HistoryFile {
  readonly path: string;
  readonly set: HistorySet;
  readonly expected: boolean;
}

interface PorcupineResult {
  readonly linearizable: boolean;
  readonly medianMs: number;
}

interface Row {
  readonly file: HistoryFile;
  readonly verdict: string;
  readonly searchMs: number;
  readonly floorMs: number;
  readonly defaultCheckMs: number;
  readonly porcupine: PorcupineResult | undefined;
}

/** The histories under `folder`: Porcupine's test_data layout, or the files themselves. */
export function findHistories(folder: string): HistoryFile[] {
  const sidecarPath = join(folder, "expected.json");
  const sidecar = existsSync(sidecarPath) ? (JSON.parse(readFileSync(sidecarPath, "utf8")) as Record<string, boolean>) : {};
  const folders = [folder, join(folder, "jepsen"), join(folder, "kv"), join(folder, "test_data", "jepsen"), join(folder, "test_data", "kv")].filter(isFolder);
  const files: HistoryFile[] = [];
  for (const each of folders) {
    for (const name of readdirSync(each).sort()) {
      const path = join(each, name);
      if (!statSync(path).isFile()) continue;
      const set = name.endsWith(".log") ? ETCD : name.endsWith(".txt") || name.endsWith(".edn") ? KV : undefined;
      const expected = sidecar[name] ?? expectedByName(name);
      if (set !== undefined && expected !== undefined) files.push({ path, set, expected });
    }
  }
  return files;
}

function expectedByName(name: string): boolean | undefined {
  const etcd = /^etcd_(\d+)\.log$/.exec(name);
  if (etcd !== null) return ETCD_LINEARIZABLE.has(Number(etcd[1]));
  const kv = /^c\d+-(ok|bad)\.txt$/.exec(name);
  return kv === null ? undefined : kv[1] === "ok";
}

function isFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** The floor: every operation stepped once through the model, per partition, in call order, no search. */
function floor(history: readonly Operation<unknown, unknown>[], model: AnyModel): void {
  for (const partition of model.partition?.(history) ?? [history]) {
    let state = model.init();
    for (const operation of [...partition].sort((a, b) => a.callMs - b.callMs)) state = model.step(state, operation.input, undefined) ?? state;
  }
}

function porcupineResults(folder: string, files: readonly HistoryFile[], command: string | undefined): { readonly results: Map<string, PorcupineResult>; readonly source: string } {
  const results = new Map<string, PorcupineResult>();
  let lines: string[];
  let source: string;
  if (command !== undefined) {
    const child = spawnSync(command, ["-repeats", String(REPEATS), ...files.map((file) => file.path)], { encoding: "utf8", maxBuffer: 1 << 26 });
    if (child.status !== 0) throw new Error(`the Porcupine command '${command}' failed: ${child.error?.message ?? child.stderr.split("\n")[0]}`);
    lines = child.stdout.split("\n");
    source = `'${command}', run now (median of ${REPEATS})`;
  } else if (existsSync(join(folder, "porcupine.jsonl"))) {
    lines = readFileSync(join(folder, "porcupine.jsonl"), "utf8").split("\n");
    source = `${join(folder, "porcupine.jsonl")} (recorded earlier: a ratio across runs, not measured together)`;
  } else {
    return { results, source: "none (give --porcupine CMD for time ratios)" };
  }
  for (const line of lines.filter((each) => each.trim() !== "")) {
    const { file, linearizable, medianMs } = JSON.parse(line) as { file: string; linearizable: boolean; medianMs: number };
    results.set(basename(file), { linearizable, medianMs });
  }
  return { results, source };
}

function measure(file: HistoryFile, porcupine: PorcupineResult | undefined): Row {
  const { format, model } = file.set;
  const history = parseHistoryText(readFileSync(file.path, "utf8"), format, file.path);
  let verdict = "";
  const searchMs = medianMs(() => (verdict = checkLinearizability(history, model, { explain: false }).verdict), REPEATS);
  const floorMs = medianMs(() => floor(history, model), REPEATS);
  const defaultCheckMs = medianMs(() => checkLinearizability(history, model), REPEATS);
  return { file, verdict, searchMs, floorMs, defaultCheckMs, porcupine };
}

const verdictOf = (linearizable: boolean) => (linearizable ? "linearizable" : "not-linearizable");
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

export function runPorcupineBench(folder: string, command: string | undefined): void {
  const files = findHistories(folder);
  if (files.length === 0) {
    console.log(`porcupine: no Porcupine histories (etcd_*.log, c*-ok.txt, c*-bad.txt, or named in expected.json) under ${folder}`);
    return;
  }
  const porcupine = porcupineResults(folder, files, command);
  console.log(`porcupine: ${files.length} histories under ${resolve(folder)}; Porcupine: ${porcupine.source}`);
  const rows = files.map((file) => measure(file, porcupine.results.get(basename(file.path))));
  for (const row of rows) {
    const other = row.porcupine === undefined ? "" : `, Porcupine ${verdictOf(row.porcupine.linearizable)} in ${ms(row.porcupine.medianMs)}`;
    const mark = row.verdict === verdictOf(row.file.expected) ? "" : "  ← DISAGREES";
    console.log(`  ${basename(row.file.path).padEnd(14)} expected ${verdictOf(row.file.expected).padEnd(16)} dsim ${row.verdict.padEnd(16)} search ${ms(row.searchMs)}, default check ${ms(row.defaultCheckMs)}${other}${mark}`);
  }
  for (const set of [ETCD, KV]) summarize(set, rows.filter((row) => row.file.set === set));
}

function summarize(set: HistorySet, rows: readonly Row[]): void {
  if (rows.length === 0) return;
  const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
  const agree = rows.filter((row) => row.verdict === verdictOf(row.file.expected)).length;
  const searchMs = sum(rows.map((row) => row.searchMs));
  const floorMs = sum(rows.map((row) => row.floorMs));
  const violations = rows.filter((row) => !row.file.expected);
  const defaultChecks = violations.map((row) => row.defaultCheckMs);
  let line = `porcupine ${set.name}: ${agree}/${rows.length} verdicts as expected; search ${ms(searchMs)}, floor ${ms(floorMs)} (ratio ${(searchMs / Math.max(floorMs, 0.001)).toFixed(1)})`;
  const timed = rows.filter((row) => row.porcupine !== undefined);
  if (timed.length > 0) {
    const porcupineAgree = timed.filter((row) => row.porcupine!.linearizable === (row.verdict === "linearizable")).length;
    const dsimMs = sum(timed.map((row) => row.searchMs));
    const porcupineMs = sum(timed.map((row) => row.porcupine!.medianMs));
    const ratios = timed.map((row) => row.searchMs / Math.max(row.porcupine!.medianMs, 0.001));
    line += `; Porcupine agrees on ${porcupineAgree}/${timed.length}, Porcupine ${ms(porcupineMs)} vs dsim ${ms(dsimMs)}: dsim / Porcupine ${(dsimMs / Math.max(porcupineMs, 0.001)).toFixed(2)} (per history: median ${median(ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)})`;
  }
  if (defaultChecks.length > 0) line += `; default check of the ${defaultChecks.length} non-linearizable: median ${ms(median(defaultChecks))}, max ${ms(Math.max(...defaultChecks))}`;
  console.log(line);
}

/** Where `npm run bench` looks when DSIM_PORCUPINE_DATA names no folder: beside the checkout, never inside it. */
const DEFAULT_FOLDER = fileURLToPath(new URL("../../porcupine-data", import.meta.url));

/** For `npm run bench`: the comparison when a folder is given (DSIM_PORCUPINE_DATA) or present (../porcupine-data). */
export function runPorcupineBenchIfGiven(): void {
  const folder = process.env.DSIM_PORCUPINE_DATA ?? (isFolder(DEFAULT_FOLDER) ? DEFAULT_FOLDER : undefined);
  if (folder === undefined) console.log(`porcupine: skipped (no histories: set DSIM_PORCUPINE_DATA=FOLDER, or put them in ${DEFAULT_FOLDER})`);
  else runPorcupineBench(folder, process.env.DSIM_PORCUPINE_CMD);
}

/** The folder and command named on this script's command line, or by the environment. */
function fromCommandLine(argv: readonly string[]): { readonly folder: string | undefined; readonly command: string | undefined } {
  let folder = process.env.DSIM_PORCUPINE_DATA;
  let command = process.env.DSIM_PORCUPINE_CMD;
  for (let index = 0; index < argv.length; index++) {
    if (argv[index] === "--porcupine") command = argv[++index];
    else folder = argv[index];
  }
  return { folder, command };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { folder, command } = fromCommandLine(process.argv.slice(2));
  if (folder === undefined) {
    console.error("usage: node --import tsx bench/porcupine.bench.ts FOLDER [--porcupine CMD]  (FOLDER holds Porcupine's histories)");
    process.exitCode = 2;
  } else runPorcupineBench(folder, command);
}
