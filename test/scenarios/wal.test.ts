// The wal scenario: its log format (a torn tail discarded by checksum, or replayed without one),
// recovery (pages, checkpoint, redo), π and each invariant on hand-built executions (a lost
// acknowledged write, a key gone back to an older write, a torn value), and each variant's verdict.

import { describe, expect, test } from "vitest";
import { sweep, type ExecutionView, type NoteRecord } from "../../src/index.ts";
import { SimulatedDisk } from "../../src/world/disk.ts";
import wal from "../../scenarios/wal/index.ts";
import { CHECKPOINT_FILE, decodeLog, encodeRecord, LOG_FILE, pageFile } from "../../scenarios/wal/log.ts";
import { recoverFrom } from "../../scenarios/wal/store.ts";
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

describe("wal: log format", () => {
  const whole = encodeRecord({ index: 1, key: "a", value: 12345 }, true) + encodeRecord({ index: 2, key: "b", value: 23456 }, true);

  test("checksummed records decode; a torn tail is discarded by its checksum", () => {
    expect(decodeLog(whole, true)).toEqual({ records: [{ index: 1, key: "a", value: 12345 }, { index: 2, key: "b", value: 23456 }], validLength: whole.length });
    const torn = whole.slice(0, whole.length - 4);
    const first = whole.indexOf("\n") + 1;
    expect(decodeLog(torn, true)).toEqual({ records: [{ index: 1, key: "a", value: 12345 }], validLength: first });
    // A whole payload with a flipped digit fails its checksum too.
    expect(decodeLog(whole.replace("23456", "23457"), true).records).toHaveLength(1);
  });

  test("without checksums a torn record that still parses is replayed as if whole", () => {
    const plain = encodeRecord({ index: 1, key: "a", value: 12345 }, false) + encodeRecord({ index: 2, key: "b", value: 23456 }, false);
    expect(plain).toBe("1 a 12345\n2 b 23456\n");
    expect(decodeLog("1 a 12345\n2 b 23", false).records).toEqual([{ index: 1, key: "a", value: 12345 }, { index: 2, key: "b", value: 23 }]);
    expect(decodeLog("1 a 12345\n2 b ", false).records).toEqual([{ index: 1, key: "a", value: 12345 }]);
  });
});

describe("wal: recovery", () => {
  test("redoes the log past the checkpoint over the pages, repairing a torn page", () => {
    const disk = newDisk();
    disk.write(pageFile("a"), "12345");
    disk.write(pageFile("b"), "2"); // torn: a prefix of 23456
    disk.write(CHECKPOINT_FILE, "1");
    disk.append(LOG_FILE, encodeRecord({ index: 2, key: "b", value: 23456 }, true) + "0123abcd 3 a 34");
    const recovered = recoverFrom(disk, true);
    expect(Object.fromEntries(recovered.values)).toEqual({ a: 12345, b: 23456 });
    expect(recovered.lastApplied).toBe(2);
    expect(recovered.validLength).toBeLessThan(recovered.logLength);
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
});
