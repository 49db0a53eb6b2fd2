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
  test("recovery replays term, vote, entries and truncations, and cuts a torn last line so the next record is kept", () => {
    const disk = memoryDisk();
    const put = { client: "c1", seq: 1, op: "put", key: "a", value: "1" } as const;
    persist(disk, [metaRecord(2, "n3"), entryRecord(1, { term: 1, command: null }), entryRecord(2, { term: 2, command: put })]);
    persist(disk, [truncateRecord(1), entryRecord(2, { term: 3, command: null })]);
    disk.append(RAFT_FILE, '4f0e12ab {"meta":[4,');
    expect(readDurableState(disk)).toEqual({ term: 2, votedFor: "n3", log: [{ term: 1, command: null }, { term: 3, command: null }] });
    // Before the kit, the torn line stayed in the file and this record glued onto it (and was lost).
    persist(disk, [metaRecord(5, null)]);
    expect(readDurableState(disk)).toMatchObject({ term: 5, votedFor: null });
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
    const calls = [
      note("c1", 0, { index: 0, key: "c1#0", operation: { op: "put", key: "a", value: "1", thinkMs: 0 } }),
      note("c1", 20, { index: 1, key: "c1#1", operation: { op: "put", key: "a", value: "2", thinkMs: 0 } }),
      note("c2", 40, { index: 0, key: "c2#0", operation: { op: "get", key: "a", thinkMs: 0 } }),
    ];
    const fresh = [note("c1", 10, { index: 0, output: null }), note("c1", 30, { index: 1, output: null }), note("c2", 50, { index: 0, output: "2" })];
    expect(invariant.check(viewWithNotes({ call: calls, return: fresh }))).toBeUndefined();
    const stale = [...fresh.slice(0, 2), note("c2", 50, { index: 0, output: "1" })];
    expect(invariant.check(viewWithNotes({ call: calls, return: stale }))).toMatch(/c2 get\(a\) → "1" \[40, 50\]/);
  });

  const check = (name: string, notes: Record<string, NoteRecord[]>) => consensus.invariants!.find((candidate) => candidate.name === name)!.check(viewWithNotes(notes));

  test("state-machine-safety reads the replicas' apply notes", () => {
    const apply = [note("n1", 1, { index: 1, command: "c1#1" }), note("n2", 2, { index: 1, command: "c1#1" })];
    expect(check("state-machine-safety", { apply })).toEqual([]);
    expect(check("state-machine-safety", { apply: [...apply, note("n3", 3, { index: 1, command: "c2#1" })] })).toEqual(["index 1: n1 applied 'c1#1' but n3 applied 'c2#1'"]);
  });

  test("election-safety reads the leader notes", () => {
    const leader = [note("n1", 1, { term: 1, logTerms: [] }), note("n2", 2, { term: 2, logTerms: [] })];
    expect(check("election-safety", { leader })).toEqual([]);
    expect(check("election-safety", { leader: [...leader, note("n3", 3, { term: 2, logTerms: [] })] })).toEqual(["n2 and n3 both became leader of term 2"]);
  });

  test("leader-completeness reads commit notes (a run of entries from an index) and leader notes, in trace order", () => {
    // n1, leader of term 1, commits indexes 2 and 3 (both of term 1) at trace index 5.
    const commit = [note("n1", 5, { from: 2, terms: [1, 1], leaderTerm: 1 })];
    const complete = note("n2", 9, { term: 2, logTerms: [1, 1, 1] });
    expect(check("leader-completeness", { commit, leader: [complete] })).toEqual([]);
    const lacking = note("n2", 9, { term: 2, logTerms: [1, 1] });
    expect(check("leader-completeness", { commit, leader: [lacking] })).toEqual([
      "n2 became leader of term 2 with no entry at index 3, committed with term 1 by n1 in term 1",
    ]);
    // The same leader elected before the commit (an earlier trace index) lost nothing yet.
    expect(check("leader-completeness", { commit, leader: [note("n2", 4, { term: 2, logTerms: [1, 1] })] })).toEqual([]);
    // Committed twice with different terms.
    const again = note("n3", 7, { from: 3, terms: [2], leaderTerm: 2 });
    expect(check("leader-completeness", { commit: [...commit, again] })).toEqual(["index 3 was committed with term 1 by n1 and again with term 2 by n3"]);
  });

  test("π keeps each client's results on its own key and hides reads of the other's", () => {
    const returns = [note("c1", 10, { index: 0, output: null }), note("c2", 50, { index: 0, output: "1" })];
    expect(consensus.project(viewWithNotes({ return: returns }))).toEqual({ clients: { c1: [null, null], c2: ["*"] }, store: [] });
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

  test("raft holds with a new logical input per seed", () => {
    const result = sweep({ scenario: consensus, variant: "raft", seedFrom: 0, seedCount: 30, faults: "swarm", varyWorkload: true });
    expect(result.divergences).toBe(0);
    expect(result.logicalTraces).toBe(1);
  });

  // Each bug's own invariant (docs/scenarios/consensus.md, "caught by"), not any divergence: a
  // handler error or a budget would not pass.
  test.each([
    ["vote-twice", ["election-safety"]],
    ["commit-on-first-ack", ["leader-completeness", "state-machine-safety"]],
    ["no-dedup", ["logical-trace", "linearizability"]],
    // Its first divergence (seed 3, under a send-churn) applies the entry a follower kept at a committed index.
    ["keep-conflicts", ["state-machine-safety"]],
  ])("%s is caught under swarm, breaking %j", (variant, invariants) => {
    const result = sweep({ scenario: consensus, variant, seedFrom: 0, seedCount: 400, faults: "swarm", stopAtFirstDivergence: true });
    expect(result.firstDivergence).toBeDefined();
    const named = result.firstDivergence!.violations.map((violation) => violation.invariant);
    for (const invariant of invariants) expect(named).toContain(invariant);
    expect(named).not.toContain("handler-error");
    expect(named).not.toContain("budget");
  });
});

/** Swarm with every targeted nemesis off: what the fault model reached before them. */
const UNTARGETED = { name: "swarm-untargeted", swarm: { leaderCrashProbability: 0, leaderIsolateProbability: 0, voterIsolateProbability: 0, leaderChurnProbability: 0, leaderSendChurnProbability: 0 } };

describe("Raft bugs the targeted nemeses reach", () => {
  // The first seeds of `bench/reach.ts divergence` before the send-churn joined the swarm (seeds from 0; with it, consensus/vote-by-length is caught at seed 7); `sweep --all --expect` checks the budgets.
  test.each([
    ["consensus", "vote-by-length", 864, consensus],
    ["consensus-5", "vote-by-length", 1399, consensusFive],
  ] as const)("%s/%s breaks state-machine-safety and leader-completeness at seed %i; raft holds there; without the targeted nemeses it holds", (_name, variant, seed, scenario) => {
    const broken = execute({ scenario, variant, seed, faults: "swarm" });
    expect(broken.violations.map((violation) => violation.invariant)).toEqual(expect.arrayContaining(["state-machine-safety", "leader-completeness"]));
    expect(broken.trace.filter((event) => event.kind === "note" && event.label === "leader").length).toBeGreaterThanOrEqual(3);
    expect(execute({ scenario, variant: "raft", seed, faults: "swarm" }).verdict).toBe("holds");
    expect(execute({ scenario, variant, seed, faults: UNTARGETED }).verdict).toBe("holds");
  });
});

/** Swarm with the send-churn off (world/sendChurn.ts): every other kind drawn as swarm draws it. */
const NO_SEND_CHURN = { name: "swarm-no-send-churn", swarm: { leaderSendChurnProbability: 0 } };

describe("Figure 8, which the send-churn reaches", () => {
  // The first divergent seeds of `dsim sweep <scenario> --variant commit-old-term` (swarm, seeds from 0).
  test.each([
    ["consensus", 228, consensus],
    ["consensus-5", 199, consensusFive],
  ] as const)("%s/commit-old-term loses a committed entry of an earlier term at seed %i; raft holds there; without the send-churn it holds", (_name, seed, scenario) => {
    const broken = execute({ scenario, variant: "commit-old-term", seed, faults: "swarm" });
    // A leader committed an entry of an earlier term than its own (Figure 8), and a leader of a later term does not hold it.
    const oldTermCommits = broken.violations.flatMap((violation) => {
      const match = /became leader of term \d+ with .* at index \d+, committed with term (\d+) by n\d+ in term (\d+)$/.exec(violation.message);
      return violation.invariant === "leader-completeness" && match !== null && match[1] !== match[2] ? [violation.message] : [];
    });
    expect(oldTermCommits).not.toEqual([]);
    expect(broken.faults.leaderSendChurnProbability).toBeGreaterThan(0);
    expect(broken.trace.filter((event) => event.kind === "note" && event.label === "leader").length).toBeGreaterThanOrEqual(3);
    expect(execute({ scenario, variant: "raft", seed, faults: "swarm" }).verdict).toBe("holds");
    expect(execute({ scenario, variant: "commit-old-term", seed, faults: NO_SEND_CHURN }).verdict).toBe("holds");
  });
});

describe("consensus sizes", () => {
  test("clients and operations are sizes: their defaults draw the old workload, smaller ones fewer clients and operations", () => {
    expect(consensus.sizes).toMatchObject({ clients: { default: 2, min: 1 }, operations: { default: 8, min: 1 } });
    // The default sizes draw exactly the workload of the default shape (so every hash stays).
    expect(consensus.workload(randomStream(0, "workload"), { clients: 2, operations: 8 })).toEqual(drawWorkload(randomStream(0, "workload"), DEFAULT_WORKLOAD_SHAPE));
    const small = execute({ scenario: consensus, variant: "raft", seed: 3, sizes: { clients: 1, operations: 2 } });
    expect(small.verdict).toBe("holds");
    // Set by the user, clients and operations are not drawn; the batch size is (the default faults are a swarm).
    expect(small.sizes).toMatchObject({ clients: 1, operations: 2 });
    expect(Object.keys((small.logical as { clients: object }).clients)).toEqual(["c1"]);
    expect((small.logical as { clients: { c1: unknown[] } }).clients.c1).toHaveLength(2);
  });

  test("batch bounds the entries per AppendEntries; raft holds at a batch of one, with the same logical trace", () => {
    const entriesPerAppend = (batch: number) => {
      const result = execute({ scenario: consensus, variant: "raft", seed: 5, faults: "light", sizes: { batch } });
      expect(result.verdict).toBe("holds");
      const appends = result.trace.flatMap((event) => (event.kind === "send" && (event.message as { type?: string }).type === "append" ? [(event.message as { entries: unknown[] }).entries.length] : []));
      return { most: Math.max(...appends), logical: result.logicalHash };
    };
    const one = entriesPerAppend(1);
    const sixteen = entriesPerAppend(16);
    expect(one.most).toBe(1);
    expect(sixteen.most).toBeGreaterThan(1);
    expect(one.logical).toBe(sixteen.logical);
  });
  test("replicas is a size: 3 for consensus and 5 for consensus-5 by default, never drawn, and raft runs and holds on 7", () => {
    expect(consensus.sizes?.replicas).toMatchObject({ default: 3, min: 1 });
    expect(consensusFive.sizes?.replicas).toMatchObject({ default: 5, min: 1 });
    expect(consensus.sizes?.replicas?.swarm).toBeUndefined();
    const replicasOf = (result: { trace: readonly { kind: string; node?: string }[] }) => [...new Set(result.trace.flatMap((event) => (event.kind === "note" && event.node?.startsWith("n") ? [event.node] : [])))].sort();
    // The default, set or not, is the same execution (the same seed, draws and hashes).
    const unset = execute({ scenario: consensus, variant: "raft", seed: 11 });
    const set = execute({ scenario: consensus, variant: "raft", seed: 11, sizes: { replicas: 3 } });
    expect(unset.sizes).toMatchObject({ replicas: 3 });
    expect(set.physicalHash).toBe(unset.physicalHash);
    expect(set.logicalHash).toBe(unset.logicalHash);
    expect(replicasOf(unset)).toEqual(["n1", "n2", "n3"]);
    expect(execute({ scenario: consensusFive, variant: "raft", seed: 11, sizes: { replicas: 3 } }).physicalHash).not.toBe(execute({ scenario: consensusFive, variant: "raft", seed: 11 }).physicalHash);
    for (const seed of [1, 2, 3]) {
      const seven = execute({ scenario: consensus, variant: "raft", seed, sizes: { replicas: 7 } });
      expect(seven.verdict).toBe("holds");
      expect(replicasOf(seven)).toEqual(["n1", "n2", "n3", "n4", "n5", "n6", "n7"]);
    }
  });
});
