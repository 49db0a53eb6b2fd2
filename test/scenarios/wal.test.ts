// The wal scenario: its log format (a torn tail discarded by checksum, or replayed without one),
// recovery (pages, checkpoint, redo), π and each invariant on hand-built executions (a lost
// acknowledged write, a key gone back to an older write, a torn value), and each variant's verdict.

import { describe, expect, test } from "vitest";
import { execute, sweep, type ExecutionView, type NoteRecord } from "../../src/index.ts";
import { resolveFaults } from "../../src/world/faults.ts";
import { faultsOf, Tape, tapeFromJson, tapeToJson } from "../../src/core/tape.ts";
import { RandomChooser, RecordingChooser, TapeChooser } from "../../src/kernel/choosers.ts";
import { shrink } from "../../src/explore/shrink/shrink.ts";
import { faultLines } from "../../src/explore/faultList.ts";
import { SimulatedDisk } from "../../src/world/disk.ts";
import wal from "../../scenarios/wal/index.ts";
import { CHECKPOINT_FILE, decodeLog, encodeRecord, LOG_FILE, MIRROR_FILE, pageFile } from "../../scenarios/wal/log.ts";
import { recoverFrom, SHAPES } from "../../scenarios/wal/store.ts";
import type { Workload } from "../../scenarios/wal/model.ts";

const WORKLOAD: Workload = {
  writes: [
    { index: 1, key: "a", value: 12345 },
    { index: 2, key: "b", value: 23456 },
    { index: 3, key: "a", value: 34567 },
  ],
};

function newDisk(): SimulatedDisk {
  return new SimulatedDisk({ written: () => {}, synced: () => {} });
}

const READING = SHAPES.wal!.reading;
const one = encodeRecord({ index: 1, key: "a", value: 12345 }, true);
const two = encodeRecord({ index: 2, key: "b", value: 23456 }, true);
const three = encodeRecord({ index: 3, key: "a", value: 34567 }, true);
const RECORDS = [{ index: 1, key: "a", value: 12345 }, { index: 2, key: "b", value: 23456 }, { index: 3, key: "a", value: 34567 }];

describe("wal: log format", () => {
  test("checksummed records decode; a torn tail is discarded by its checksum", () => {
    const whole = one + two;
    expect(decodeLog([whole, whole], 1, READING)).toEqual(RECORDS.slice(0, 2));
    const torn = whole.slice(0, whole.length - 4);
    expect(decodeLog([torn, torn], 1, READING)).toEqual(RECORDS.slice(0, 1));
    // A whole payload with a flipped digit fails its checksum too.
    const flipped = whole.replace("23456", "23457");
    expect(decodeLog([flipped, flipped], 1, READING)).toHaveLength(1);
  });

  test("without checksums a torn record that still parses is replayed as if whole", () => {
    const plain = encodeRecord({ index: 1, key: "a", value: 12345 }, false) + encodeRecord({ index: 2, key: "b", value: 23456 }, false);
    expect(plain).toBe("1 a 12345\n2 b 23456\n");
    const reading = SHAPES["no-checksum"]!.reading;
    expect(decodeLog(["1 a 12345\n2 b 23", ""], 1, reading)).toEqual([RECORDS[0], { index: 2, key: "b", value: 23 }]);
    expect(decodeLog(["1 a 12345\n2 b ", ""], 1, reading)).toEqual([RECORDS[0]]);
  });
});

describe("wal: the mirrored log, slot by slot", () => {
  const log = one + two + three;
  const corrupt = one + two.replace("23456", "23457") + three;

  test("a bad record in the middle of one copy is read from the other; verifying only the last line replays it", () => {
    expect(decodeLog([corrupt, log], 1, READING)).toEqual(RECORDS);
    expect(decodeLog([corrupt, log], 1, SHAPES["tail-checksum-only"]!.reading)).toEqual([RECORDS[0], { index: 2, key: "b", value: 23457 }, RECORDS[2]]);
  });

  test("a whole record in the wrong slot (a misdirected append) is refused there; without the slot check it is taken", () => {
    const misdirected = one + three + three; // the third append landed over the second
    expect(decodeLog([misdirected, log], 1, READING)).toEqual(RECORDS);
    expect(decodeLog([misdirected, log], 1, SHAPES["no-slot-check"]!.reading)).toEqual([RECORDS[0], RECORDS[2], RECORDS[2]]);
  });

  test("a copy that is whole but shorter (a lost fsync, then a crash) is completed from the other; trusting the first copy is not", () => {
    expect(decodeLog([one, log], 1, READING)).toEqual(RECORDS);
    expect(decodeLog([one, log], 1, SHAPES["trust-first-copy"]!.reading)).toEqual([RECORDS[0]]);
  });

  test("records the checkpoint covers do not follow it: the log reads as empty past it", () => {
    expect(decodeLog([log, log], 3, READING)).toEqual([]);
  });
});

describe("wal: recovery", () => {
  test("redoes the log past the checkpoint over the pages, repairing a torn page, and says the copies need rewriting", () => {
    const disk = newDisk();
    disk.write(pageFile("a"), "12345");
    disk.write(pageFile("b"), "2"); // torn: a prefix of 23456
    disk.write(CHECKPOINT_FILE, "1");
    disk.append(LOG_FILE, encodeRecord({ index: 2, key: "b", value: 23456 }, true) + "0123abcd 3 a 34");
    disk.append(MIRROR_FILE, encodeRecord({ index: 2, key: "b", value: 23456 }, true));
    const recovered = recoverFrom(disk, READING);
    expect(Object.fromEntries(recovered.values)).toEqual({ a: 12345, b: 23456 });
    expect(recovered.lastApplied).toBe(2);
    expect(recovered.logText).toBe(encodeRecord({ index: 2, key: "b", value: 23456 }, true));
    expect(recovered.logRepaired).toBe(true);
  });
});

interface Recorded {
  /** [write index, time] of each acknowledgement, in trace order. */
  readonly acknowledged: readonly (readonly [number, number])[];
  /** States recovered after restarts, with the position of their note among the acknowledgements. */
  readonly recovered: readonly { readonly afterAcks: number; readonly timeMs: number; readonly values: Record<string, number> }[];
  readonly final: Record<string, number>;
}

function viewOf(recorded: Recorded): ExecutionView<Workload> {
  // Acknowledgements take trace indices 0, 2, 4...; a recovery after k of them takes 2k - 1.
  const notes: Record<string, NoteRecord[]> = {
    acknowledged: recorded.acknowledged.map(([index, timeMs], position) => ({ node: "store", timeMs, value: index, traceIndex: 2 * position })),
    recovered: recorded.recovered.map(({ afterAcks, timeMs, values }) => ({ node: "store", timeMs, value: values, traceIndex: 2 * afterAcks - 1 })),
  };
  const disk = newDisk();
  for (const [key, value] of Object.entries(recorded.final)) disk.write(pageFile(key), String(value));
  return {
    variant: "wal",
    workload: WORKLOAD,
    trace: new Array(2 * recorded.acknowledged.length + 1),
    nodes: { store: { up: true, state: undefined, disk } },
    endedAtMs: 0,
    state: <State>() => ({ values: new Map(Object.entries(recorded.final)) }) as State,
    notes: (label) => notes[label] ?? [],
  };
}

function check(name: string, recorded: Recorded) {
  return wal.invariants!.find((invariant) => invariant.name === name)!.check(viewOf(recorded));
}

const ALL_ACKNOWLEDGED: Recorded["acknowledged"] = [[1, 40], [2, 90], [3, 150]];

describe("wal: π and invariants on hand-built executions", () => {
  test("a correct execution keeps both invariants; π lists acknowledgements and state", () => {
    const recorded: Recorded = {
      acknowledged: ALL_ACKNOWLEDGED,
      recovered: [{ afterAcks: 2, timeMs: 120, values: { a: 12345, b: 23456 } }],
      final: { a: 34567, b: 23456 },
    };
    for (const invariant of wal.invariants!) expect(invariant.check(viewOf(recorded))).toBeUndefined();
    expect(wal.project(viewOf(recorded))).toEqual({ acknowledged: [1, 2, 3], state: { a: 34567, b: 23456 }, recovered: { a: 34567, b: 23456 } });
  });

  test("a recovery that lost an acknowledged write breaks acknowledged-writes-survive", () => {
    const recorded: Recorded = {
      acknowledged: ALL_ACKNOWLEDGED,
      recovered: [{ afterAcks: 2, timeMs: 120, values: { a: 12345 } }],
      final: { a: 34567 },
    };
    expect(check("acknowledged-writes-survive", recorded)).toEqual([
      "the state recovered at 120 ms lost acknowledged write 2 (b = 23456, acknowledged at 90 ms): it holds no b (and in 1 later state)",
    ]);
  });

  test("a key gone back to an older write than the acknowledged one is a lost write too", () => {
    const recorded: Recorded = { acknowledged: ALL_ACKNOWLEDGED, recovered: [], final: { a: 12345, b: 23456 } };
    expect(check("acknowledged-writes-survive", recorded)).toEqual([
      "the final state lost acknowledged write 3 (a = 34567, acknowledged at 150 ms): it holds a = 12345 (write 1, older)",
    ]);
  });

  test("a torn value replayed as whole breaks only-written-values", () => {
    const recorded: Recorded = {
      acknowledged: ALL_ACKNOWLEDGED,
      recovered: [{ afterAcks: 1, timeMs: 70, values: { a: 12345, b: 234 } }],
      final: { a: 34567, b: 23456 },
    };
    expect(check("only-written-values", recorded)).toEqual(["the state recovered at 70 ms holds b = 234, which no write wrote"]);
    expect(check("acknowledged-writes-survive", recorded)).toBeUndefined();
  });
});

describe("wal: verdicts under swarm faults", () => {
  test("wal: every execution projects onto the reference over 300 seeds", () => {
    const result = sweep({ scenario: wal, variant: "wal", seedFrom: 0, seedCount: 300, faults: "swarm" });
    expect(result.divergences).toBe(0);
    expect(result.logicalTraces).toBe(1);
  });

  test("wal holds with a new logical input per seed", () => {
    const result = sweep({ scenario: wal, variant: "wal", seedFrom: 0, seedCount: 60, faults: "swarm", varyWorkload: true });
    expect(result.divergences).toBe(0);
    expect(result.logicalTraces).toBe(1);
  });

  test("wal holds under heavy faults too, where torn pages and torn log tails are common", () => {
    const result = sweep({ scenario: wal, variant: "wal", seedFrom: 0, seedCount: 150, faults: "heavy" });
    expect(result.divergences).toBe(0);
  });

  test.each([
    ["ack-before-fsync", "acknowledged-writes-survive"],
    ["no-checksum", "only-written-values"],
    ["apply-then-log", "only-written-values"],
  ])("%s is caught within 400 seeds, breaking %s", (variant, invariant) => {
    const result = sweep({ scenario: wal, variant, seedFrom: 0, seedCount: 400, faults: "swarm", stopAtFirstDivergence: true });
    expect(result.divergences).toBe(1);
    expect(result.firstDivergence!.violations.map((violation) => violation.invariant)).toContain(invariant);
  });

  // Each storage-fault variant: the first divergence under swarm, the fault kind it needs, and the
  // same seeds holding with that kind off (crash points and the rest of the swarm still on).
  test.each([
    ["tail-checksum-only", "corruptionProbability", "corrupt"],
    ["no-slot-check", "misdirectedWriteProbability", "misdirect"],
    ["trust-first-copy", "lostFsyncProbability", "lost-fsync"],
  ] as const)("%s is caught within 600 seeds, breaking acknowledged-writes-survive, only with %s on", (variant, field, eventKind) => {
    // First divergences under the default swarm: tail-checksum-only 439, no-slot-check 18, trust-first-copy 79.
    const result = sweep({ scenario: wal, variant, seedFrom: 0, seedCount: 600, faults: "swarm", stopAtFirstDivergence: true });
    expect(result.divergences).toBe(1);
    const first = result.firstDivergence!;
    expect(first.violations.map((violation) => violation.invariant)).toContain("acknowledged-writes-survive");
    expect(execute({ scenario: wal, variant, seed: first.seed, faults: "swarm" }).trace.some((event) => event.kind === eventKind)).toBe(true);
    for (let seed = 0; seed <= first.seed; seed++) {
      expect(execute({ scenario: wal, variant, seed, faults: { ...resolveFaults("swarm", seed), [field]: 0 } }).verdict).toBe("holds");
    }
  });
});

describe("wal: executions with storage faults replay and shrink", () => {
  test.each(["tail-checksum-only", "no-slot-check", "trust-first-copy"])("%s: its first divergence replays from the recorded tape", (variant) => {
    const first = sweep({ scenario: wal, variant, seedFrom: 0, seedCount: 600, faults: "swarm", stopAtFirstDivergence: true }).firstDivergence!;
    const faults = resolveFaults("swarm", first.seed);
    const recorder = new RecordingChooser(new RandomChooser(first.seed));
    const original = execute({ scenario: wal, variant, seed: first.seed, faults, chooser: recorder });
    const tape = tapeFromJson(JSON.parse(JSON.stringify(tapeToJson(new Tape(recorder.asked)))), "test");
    expect(execute({ scenario: wal, variant, seed: first.seed, faults, chooser: new TapeChooser(tape) }).physicalHash).toBe(original.physicalHash);
  });

  test("no-slot-check shrinks to a misdirected append and a crash", () => {
    const first = sweep({ scenario: wal, variant: "no-slot-check", seedFrom: 0, seedCount: 400, faults: "swarm", stopAtFirstDivergence: true }).firstDivergence!;
    const result = shrink({ scenario: wal, variant: "no-slot-check", seed: first.seed, faults: resolveFaults("swarm", first.seed) });
    const kinds = faultsOf(result.shrunk.tape).map((decision) => decision.kind);
    expect(kinds).toContain("misdirect");
    expect(kinds.length).toBeLessThanOrEqual(2);
    const lines = faultLines(result.shrunk.tape, result.shrunk.result).map((line) => line.text);
    expect(lines).toContainEqual(expect.stringMatching(/^\d+ ms {2}misdirected append store:wal\.(log|mirror) \(effect \d+\.\d+\): \d+ bytes meant for byte \d+ landed at byte \d+$/));
    expect(result.shrunk.result.violations.map((violation) => violation.invariant)).toContain("acknowledged-writes-survive");
  });
});
