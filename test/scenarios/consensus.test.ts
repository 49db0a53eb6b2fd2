// The consensus scenario: its log checkers on hand-built records (each one failing), its durable
// log's recovery, its sessions, its invariants on a hand-built execution view, and small sweeps:
// Raft holds with one logical trace on 3 and 5 replicas, and each broken variant is caught.

import { describe, expect, test } from "vitest";
import { execute, findConflictingApplies, findDoubleLeaders, findLostCommits, sweep, type ExecutionView, type NoteRecord } from "../../src/index.ts";
import { randomStream } from "../../src/core/random.ts";
import { consensus, consensusFive } from "../../scenarios/consensus/index.ts";
import { applyCommand, type Store } from "../../scenarios/consensus/store.ts";
import { entryRecord, metaRecord, persist, RAFT_FILE, readDurableState, truncateRecord } from "../../scenarios/consensus/storage.ts";
import { DEFAULT_WORKLOAD_SHAPE, drawWorkload, type ConsensusWorkload } from "../../scenarios/consensus/workload.ts";
import type { Disk } from "../../src/index.ts";

function memoryDisk(): Disk & { files_: Map<string, string> } {
  const files_ = new Map<string, string>();
  return {
    files_,
    read: (file) => files_.get(file),
    write: (file, content) => void files_.set(file, content),
    append: (file, data) => void files_.set(file, (files_.get(file) ?? "") + data),
    fsync: () => undefined,
    replace: (file, content) => void files_.set(file, content),
    files: () => [...files_.keys()].sort(),
  };
}

describe("log checkers", () => {
  test("state machine safety fails when two replicas apply different commands at one index", () => {
    const same = [{ node: "n1", index: 1, command: "c1#1" }, { node: "n2", index: 1, command: "c1#1" }];
    expect(findConflictingApplies(same)).toEqual([]);
    expect(findConflictingApplies([...same, { node: "n3", index: 1, command: "c2#1" }])).toEqual(["index 1: n1 applied 'c1#1' but n3 applied 'c2#1'"]);
  });

  test("leader completeness fails when a later leader lacks a committed entry", () => {
    const commit = { kind: "commit", node: "n1", index: 2, term: 1, leaderTerm: 1 } as const;
    expect(findLostCommits([commit, { kind: "leader", node: "n2", term: 2, logTerms: [1, 1] }])).toEqual([]);
    expect(findLostCommits([commit, { kind: "leader", node: "n2", term: 2, logTerms: [1] }])).toEqual([
      "n2 became leader of term 2 with no entry at index 2, committed with term 1 by n1 in term 1",
    ]);
    // A leader of an earlier term, noted later, is no evidence of loss.
    expect(findLostCommits([commit, { kind: "leader", node: "n3", term: 1, logTerms: [] }])).toEqual([]);
  });

  test("election safety fails when two nodes lead one term", () => {
    const leader = (node: string, term: number) => ({ kind: "leader", node, term, logTerms: [] }) as const;
    expect(findDoubleLeaders([leader("n1", 1), leader("n2", 2), leader("n1", 1)])).toEqual([]);
    expect(findDoubleLeaders([leader("n1", 1), leader("n2", 1)])).toEqual(["n1 and n2 both became leader of term 1"]);
  });
});

describe("consensus replicas", () => {
  test("recovery replays term, vote, entries and truncations, and drops a torn last line", () => {
    const disk = memoryDisk();
    const put = { client: "c1", seq: 1, op: "put", key: "a", value: "1" } as const;
    persist(disk, [metaRecord(2, "n3"), entryRecord(1, { term: 1, command: null }), entryRecord(2, { term: 2, command: put })]);
    persist(disk, [truncateRecord(1), entryRecord(2, { term: 3, command: null })]);
    disk.append(RAFT_FILE, '{"meta":[4,');
    expect(readDurableState(disk)).toEqual({ term: 2, votedFor: "n3", log: [{ term: 1, command: null }, { term: 3, command: null }] });
  });

  test("sessions apply a retried command once, unless deduplication is off", () => {
    const command = { client: "c1", seq: 1, op: "append", key: "a", value: "x" } as const;
    const store: Store = { values: new Map(), sessions: new Map() };
    applyCommand(store, command, true);
    applyCommand(store, command, true);
    expect(store.values.get("a")).toBe("x");
    applyCommand(store, command, false);
    expect(store.values.get("a")).toBe("xx");
  });
});

function viewWithNotes(notes: Record<string, NoteRecord[]>): ExecutionView<ConsensusWorkload> {
  const workload: ConsensusWorkload = {
    clients: {
      c1: { key: "a", operations: [{ op: "put", key: "a", value: "1", thinkMs: 0 }, { op: "put", key: "a", value: "2", thinkMs: 0 }] },
      c2: { key: "b", operations: [{ op: "get", key: "a", thinkMs: 0 }] },
    },
  };
  return { variant: "raft", workload, trace: [], nodes: {}, endedAtMs: 0, state: <State>() => undefined as State, notes: (label) => notes[label] ?? [] };
}

const note = (node: string, timeMs: number, value: NoteRecord["value"]): NoteRecord => ({ node, timeMs, value, traceIndex: timeMs });

describe("consensus invariants", () => {
  test("linearizability fails on the stale read the clients observed", () => {
    const invariant = consensus.invariants!.find((candidate) => candidate.name === "linearizability")!;
    const invokes = [
      note("c1", 0, { operation: 0, input: { op: "put", key: "a", value: "1" } }),
      note("c1", 20, { operation: 1, input: { op: "put", key: "a", value: "2" } }),
      note("c2", 40, { operation: 0, input: { op: "get", key: "a" } }),
    ];
    const fresh = [note("c1", 10, { operation: 0, result: null }), note("c1", 30, { operation: 1, result: null }), note("c2", 50, { operation: 0, result: "2" })];
    expect(invariant.check(viewWithNotes({ invoke: invokes, complete: fresh }))).toBeUndefined();
    const stale = [...fresh.slice(0, 2), note("c2", 50, { operation: 0, result: "1" })];
    expect(invariant.check(viewWithNotes({ invoke: invokes, complete: stale }))).toMatch(/c2 get\(a\) → "1" \[40, 50\]/);
  });

  test("π keeps each client's results on its own key and hides reads of the other's", () => {
    const complete = [note("c1", 10, { operation: 0, result: null }), note("c2", 50, { operation: 0, result: "1" })];
    expect(consensus.project(viewWithNotes({ complete }))).toEqual({ clients: { c1: [null, null], c2: ["*"] }, store: [] });
  });
});

describe("consensus sweeps", () => {
  test.each([
    ["consensus", consensus, 60],
    ["consensus-5", consensusFive, 20],
  ] as const)("%s: raft holds with one logical trace and settles after heal", (_name, scenario, seedCount) => {
    const result = sweep({ scenario, variant: "raft", seedFrom: 0, seedCount, faults: "swarm" });
    expect(result.divergences).toBe(0);
    expect(result.logicalTraces).toBe(1);
    expect(result.physicalTraces).toBe(seedCount);
  });

  test.each([
    ["vote-twice", ["election-safety"]],
    ["commit-on-first-ack", ["state-machine-safety", "leader-completeness", "linearizability", "logical-trace"]],
    ["no-dedup", ["logical-trace", "linearizability"]],
    ["keep-conflicts", ["state-machine-safety"]],
  ])("%s is caught under swarm and the report names the broken invariant", (variant, invariants) => {
    const result = sweep({ scenario: consensus, variant, seedFrom: 0, seedCount: 400, faults: "swarm", stopAtFirstDivergence: true });
    expect(result.firstDivergence).toBeDefined();
    const named = result.firstDivergence!.violations.map((violation) => violation.invariant);
    expect(named.some((name) => invariants.includes(name))).toBe(true);
  });
});

describe("consensus sizes", () => {
  test("clients and operations are sizes: their defaults draw the old workload, smaller ones fewer clients and operations", () => {
    expect(consensus.sizes).toMatchObject({ clients: { default: 2, min: 1 }, operations: { default: 8, min: 1 } });
    // The default sizes draw exactly the workload of the default shape (so every hash stays).
    expect(consensus.workload(randomStream(0, "workload"), { clients: 2, operations: 8 })).toEqual(drawWorkload(randomStream(0, "workload"), DEFAULT_WORKLOAD_SHAPE));
    const small = execute({ scenario: consensus, variant: "raft", seed: 3, sizes: { clients: 1, operations: 2 } });
    expect(small.verdict).toBe("holds");
    expect(small.sizes).toEqual({ clients: 1, operations: 2 });
    expect(Object.keys((small.logical as { clients: object }).clients)).toEqual(["c1"]);
    expect((small.logical as { clients: { c1: unknown[] } }).clients.c1).toHaveLength(2);
  });
});
