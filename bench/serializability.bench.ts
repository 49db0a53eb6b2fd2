// Benchmark of the transactional-history checker on generated histories of 10k and 100k
// transactions, recorded from the in-memory stores of the property tests: a serial execution
// (checked at serializable: the graph is acyclic, so this is graph building with trivial
// searches) and a snapshot-isolation store with 8 transactions open at once (checked at snapshot:
// its write skews make cycles the G-single and G-nonadjacent searches must rule out). Half the
// keys are registers, half lists; each key retires after WRITES_PER_KEY_MAX writes, as Elle's
// generators do. Only the check is timed (and, apart, parsing the JSON lines); generating is not.
// Beside each time is a floor measured in the same process on the same history: one pass that
// indexes every write in a map per key and looks up the writer of every value read, the least any
// checker of these histories must do. The ratio check / floor is what to compare across machines.
//
// Run: node --import tsx bench/serializability.bench.ts [transactionCount ...]

import seedrandom from "seedrandom";
import { checkTransactions, parseTransactionHistory, type IsolationLevel, type Transaction } from "../src/index.ts";
import { runStore, type Intent, type Plan, type StoreKind } from "../test/fixtures/transactionStores.ts";
import { median } from "./floor.ts";

const REPEATS = 5;
const KEYS_OPEN = 8;
const WRITES_PER_KEY_MAX = 16;
const INTENTS_MAX = 4;

interface Case {
  readonly name: string;
  readonly store: StoreKind;
  readonly concurrency: number;
  readonly level: IsolationLevel;
}

const CASES: readonly Case[] = [
  { name: "serial, at serializable", store: "snapshot", concurrency: 1, level: "serializable" },
  { name: "snapshot store (8 open), at snapshot", store: "snapshot", concurrency: 8, level: "snapshot" },
];

/** Plans over KEYS_OPEN registers and KEYS_OPEN lists at a time, each retired after WRITES_PER_KEY_MAX writes. */
function generatePlans(count: number, random: () => number): Plan[] {
  let keysMade = 0;
  const fresh = (list: boolean) => ({ name: `${list ? "l" : "x"}${keysMade++}`, writes: 0 });
  const registers = Array.from({ length: KEYS_OPEN }, () => fresh(false));
  const lists = Array.from({ length: KEYS_OPEN }, () => fresh(true));
  const plans: Plan[] = [];
  for (let index = 0; index < count; index++) {
    const intents: Intent[] = [];
    const length = 1 + Math.floor(random() * INTENTS_MAX);
    for (let step = 0; step < length; step++) {
      const list = random() < 0.5;
      const pool = list ? lists : registers;
      const slot = Math.floor(random() * KEYS_OPEN);
      const key = pool[slot]!;
      if (random() < 0.5) {
        intents.push({ f: "r", key: key.name });
        continue;
      }
      intents.push({ f: list ? "append" : "w", key: key.name });
      if (++key.writes >= WRITES_PER_KEY_MAX) pool[slot] = fresh(list);
    }
    plans.push({ intents, commit: random() < 0.95, outcomeUnknown: random() < 0.02 });
  }
  return plans;
}

/** The median wall time of REPEATS runs. */
function medianMs(run: () => void): number {
  return median(
    Array.from({ length: REPEATS }, () => {
      const startedMs = performance.now();
      run();
      return performance.now() - startedMs;
    }),
  );
}

/** The floor: every write indexed per key, every value read looked up. */
function floor(history: readonly Transaction[]): number {
  const writers = new Map<string, Map<string | number, string>>();
  let found = 0;
  for (const transaction of history) {
    for (const op of transaction.ops) {
      if (op.f === "r") continue;
      let values = writers.get(op.key);
      if (values === undefined) writers.set(op.key, (values = new Map()));
      values.set(op.value, transaction.id);
    }
  }
  for (const transaction of history) {
    for (const op of transaction.ops) {
      if (op.f !== "r" || op.value === null) continue;
      const values = writers.get(op.key);
      for (const value of typeof op.value === "object" ? op.value : [op.value]) if (values?.has(value)) found++;
    }
  }
  return found;
}

function row(label: string, count: number, checkMs: number, floorMs: number, detail: string): void {
  const perSecond = Math.round(count / (checkMs / 1000));
  console.log(
    `${label.padEnd(60)} ${checkMs.toFixed(1).padStart(8)} ms, ${String(perSecond).padStart(9)} transactions/s (${detail}); ` +
      `floor ${floorMs.toFixed(1)} ms, ratio ${(checkMs / Math.max(floorMs, 0.001)).toFixed(1)}`,
  );
}

console.log("");
const counts = process.argv.slice(2).map(Number);
for (const transactionCount of counts.length > 0 ? counts : [10_000, 100_000]) {
  for (const { name, store, concurrency, level } of CASES) {
    const random = seedrandom.alea(`serializability-bench/${transactionCount}/${name}`);
    const history = runStore(store, generatePlans(transactionCount, random), concurrency, (open) => Math.floor(random() * open));
    let result = checkTransactions(history, { level });
    const checkMs = medianMs(() => (result = checkTransactions(history, { level })));
    const floorMs = medianMs(() => floor(history));
    const { edges, searchSteps } = result.statistics;
    const label = `serializability ${String(transactionCount).padStart(7)} ${name}`;
    row(label, transactionCount, checkMs, floorMs, `${result.verdict}, ${edges} edges, ${searchSteps} search steps`);
    const text = history.map((transaction) => JSON.stringify(transaction)).join("\n");
    const parseMs = medianMs(() => parseTransactionHistory(text, "bench"));
    row(`  parsing its ${(text.length / 1e6).toFixed(1)} MB of JSON lines`, transactionCount, parseMs, floorMs, "parse only");
  }
}
