// Benchmark of the linearizability checker on histories of the consensus scenario's correct
// variant (Raft, 3 replicas, 8 clients, swarm faults in the first second), at 1k, 10k and 100k
// operations. Only the check is timed; the simulation that records the history is not. Beside each
// time is a floor measured in the same process: one model step per operation, in call order, with
// no search; the ratio checker / floor is what to compare across machines.
//
// Then the two memory bounds issue 12 asks to show: 10^6 sequential operations on one key (decided,
// with the memo's peak bytes) and 30 concurrent appends plus a read no order of them makes (the
// default 512 MiB memory budget runs out: "unknown", and how long that takes).
//
// Run: node --import tsx bench/linearizability.bench.ts [operationCount ...]

import { checkLinearizability, DEFAULT_LINEARIZABILITY_LIMITS, execute, kvModel, type Json, type KvOperation, type NoteRecord } from "../src/index.ts";
import { consensusScenario } from "../scenarios/consensus/index.ts";
import { consensusHistory } from "../scenarios/consensus/checks.ts";
import { medianMs } from "./linearizability.timing.ts";

const CLIENT_COUNT = 8;
const REPEATS = 3;

function recordHistory(operationCount: number): KvOperation[] {
  const shape = { clientCount: CLIENT_COUNT, operationsPerClient: Math.ceil(operationCount / CLIENT_COUNT), thinkMinMs: 0, thinkMaxMs: 10 };
  const scenario = consensusScenario(3, shape);
  const result = execute(
    { scenario, variant: "raft", seed: 1, faults: "swarm", limits: { eventsMax: 100_000_000, virtualTimeMaxMs: 1e12 } },
    { logical: null, logicalHash: "" },
  );
  if (result.endReason !== "settled") throw new Error(`the execution ended ${result.endReason}, not settled`);
  const notesByLabel = new Map<string, NoteRecord[]>();
  result.trace.forEach((event, traceIndex) => {
    if (event.kind !== "note") return;
    const list = notesByLabel.get(event.label) ?? [];
    list.push({ node: event.node, timeMs: event.timeMs, value: event.value as Json, traceIndex });
    notesByLabel.set(event.label, list);
  });
  return consensusHistory((label: string) => notesByLabel.get(label) ?? []);
}

/** The floor: every operation stepped once through the model, per key, in call order. */
function floor(history: readonly KvOperation[]): void {
  const states = new Map<string, string | null>();
  for (const operation of [...history].sort((a, b) => a.callMs - b.callMs)) {
    const state = states.get(operation.input.key) ?? null;
    states.set(operation.input.key, kvModel.step(state, operation.input, undefined) ?? state);
  }
}

const counts = process.argv.slice(2).map(Number);
for (const operationCount of counts.length > 0 ? counts : [1_000, 10_000, 100_000]) {
  const history = recordHistory(operationCount);
  let verdict = "";
  const checkMs = medianMs(() => (verdict = checkLinearizability(history, kvModel).verdict), REPEATS);
  const floorMs = medianMs(() => floor(history), REPEATS);
  console.log(
    `linearizability ${String(history.length).padStart(7)} operations: ${checkMs.toFixed(1).padStart(8)} ms (${verdict}), ` +
      `floor ${floorMs.toFixed(1)} ms, ratio ${(checkMs / Math.max(floorMs, 0.001)).toFixed(1)}`,
  );
}

const MIB = 1024 * 1024;

/** n operations on one key, one after the other: put i, then get i, and so on. */
function sequentialHistory(operationCount: number): KvOperation[] {
  return Array.from({ length: operationCount }, (_unused, index): KvOperation => {
    const value = String(index >> 1);
    const callMs = 10 * index;
    return index % 2 === 0
      ? { client: "w", input: { op: "put", key: "x", value }, output: null, callMs, returnMs: callMs + 5 }
      : { client: "r", input: { op: "get", key: "x" }, output: value, callMs, returnMs: callMs + 5 };
  });
}

/** 30 appends all concurrent, then a read of a value no order of them makes. */
function appendsAndImpossibleRead(appendCount: number): KvOperation[] {
  const history = Array.from({ length: appendCount }, (_unused, index): KvOperation => ({
    client: `c${index}`, input: { op: "append", key: "x", value: `<${index}>` }, output: null, callMs: index, returnMs: 1000 + index,
  }));
  history.push({ client: "r", input: { op: "get", key: "x" }, output: "impossible", callMs: 2000, returnMs: 2010 });
  return history;
}

const sequential = sequentialHistory(1_000_000);
let sequentialVerdict = "";
let sequentialPeakBytes = 0;
const sequentialMs = medianMs(() => {
  const result = checkLinearizability(sequential, kvModel);
  sequentialVerdict = result.verdict;
  sequentialPeakBytes = result.memoryBytesPeak;
}, REPEATS);
const sequentialFloorMs = medianMs(() => floor(sequential), REPEATS);
console.log(
  `linearizability 1000000 sequential operations on one key: ${sequentialMs.toFixed(1)} ms (${sequentialVerdict}), ` +
    `memo peak ${(sequentialPeakBytes / MIB).toFixed(1)} MiB, floor ${sequentialFloorMs.toFixed(1)} ms, ratio ${(sequentialMs / Math.max(sequentialFloorMs, 0.001)).toFixed(1)}`,
);
const appends = appendsAndImpossibleRead(30);
const appendsStartedMs = performance.now();
const appendsResult = checkLinearizability(appends, kvModel);
console.log(
  `linearizability 30 concurrent appends + an impossible read: ${(performance.now() - appendsStartedMs).toFixed(0)} ms to ${appendsResult.verdict}` +
    `${appendsResult.verdict === "unknown" ? ` (${appendsResult.limit})` : ""}, memo peak ${(appendsResult.memoryBytesPeak / MIB).toFixed(1)} MiB ` +
    `of the ${DEFAULT_LINEARIZABILITY_LIMITS.memoryBytesMax / MIB} MiB budget, ${appendsResult.steps} steps`,
);
