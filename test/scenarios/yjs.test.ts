// The yjs scenario: client ids stay fixed through a reload (and why the naive reload would not),
// offline authoring gives the same content in any merge order, each invariant fails on hand-built
// diverged documents, and the variants' verdicts over a small swarm sweep: the broken one for its
// own reason (equal state vectors, different content: a client id reused after losing updates).

import { reliableSender } from "../../src/kit/index.ts";
import * as Y from "yjs";
import { describe, expect, test } from "vitest";
import { sweep, type ExecutionView, type NoteRecord } from "../../src/index.ts";
import yjs from "../../scenarios/yjs/index.ts";
import {
  authorEdit, clientDoc, contentOf, createDoc, drawYjsWorkload, EDIT_COUNT, EDIT_SPAN_MS, encodeUpdate, expectedContent, REPLICAS, type Edit, type YjsWorkload,
} from "../../scenarios/yjs/authoring.ts";
import type { YjsReplicaState } from "../../scenarios/yjs/replica.ts";
import { randomStream } from "../../src/core/random.ts";

const insert = (index: number, replica: string, permille: number, text: string): Edit => ({ kind: "insert", index, replica, atMs: index, permille, text });
const set = (index: number, replica: string, key: string, value: string): Edit => ({ kind: "set", index, replica, atMs: index, key, value });
const WORKLOAD: YjsWorkload = {
  edits: [insert(0, "r0", 0, "A"), insert(1, "r1", 0, "B"), set(2, "r0", "title", "x"), set(3, "r2", "title", "y"), insert(4, "r0", 999, "C")],
};

describe("client ids", () => {
  test("a client reloaded from its own updates keeps its id and continues its clock", () => {
    const original = createDoc(101);
    const updates = [authorEdit(original, insert(0, "r0", 0, "ab")), authorEdit(original, insert(1, "r0", 999, "c"))].map(encodeUpdate);
    const reloaded = clientDoc(101, updates);
    expect(reloaded.clientID).toBe(101);
    const next = authorEdit(reloaded, insert(2, "r0", 999, "d"));
    const merged = createDoc(100);
    for (const update of [...updates.map((text) => new Uint8Array(Buffer.from(text, "base64"))), next]) Y.applyUpdate(merged, update);
    expect(merged.getText("text").toString()).toBe("abcd");
  });

  test("Yjs itself replaces the id of a document that receives its own id's updates (the hazard clientDoc avoids)", () => {
    const original = createDoc(101);
    const update = authorEdit(original, insert(0, "r0", 0, "ab"));
    const naive = createDoc(101);
    const log = console.log;
    console.log = () => {};
    try {
      Y.applyUpdate(naive, update);
    } finally {
      console.log = log;
    }
    expect(naive.clientID).not.toBe(101);
  });
});

describe("offline authoring", () => {
  test("the same updates merge to the same content in any order, concurrent inserts ordered by client id", () => {
    const clients = new Map(["r0", "r1", "r2"].map((replica, index) => [replica, createDoc(101 + index)]));
    const updates = WORKLOAD.edits.map((edit) => authorEdit(clients.get(edit.replica)!, edit));
    const forward = createDoc(100);
    const backward = createDoc(100);
    updates.forEach((update) => Y.applyUpdate(forward, update));
    [...updates].reverse().forEach((update) => Y.applyUpdate(backward, update));
    expect(contentOf(backward)).toEqual(contentOf(forward));
    expect(contentOf(forward)).toEqual(expectedContent(WORKLOAD));
    expect(contentOf(forward)).toEqual({ map: { title: "y" }, text: "ACB" });
  });

  test("the workload draw: fifteen edits in time order, each well formed, differing between streams", () => {
    const draws = Array.from({ length: 20 }, (_, seed) => drawYjsWorkload(randomStream(seed, "workload")));
    expect(new Set(draws.map((draw) => JSON.stringify(draw))).size).toBe(20);
    const kinds = new Set<string>();
    for (const { edits } of draws) {
      expect(edits.map((edit) => edit.index)).toEqual([...Array(EDIT_COUNT).keys()]);
      for (let index = 1; index < edits.length; index++) expect(edits[index]!.atMs).toBeGreaterThanOrEqual(edits[index - 1]!.atMs);
      for (const edit of edits) {
        kinds.add(edit.kind);
        expect(REPLICAS).toContain(edit.replica);
        expect(edit.atMs).toBeGreaterThanOrEqual(0);
        expect(edit.atMs).toBeLessThan(EDIT_SPAN_MS);
        if (edit.kind === "set") expect(edit.value).toBe(`${edit.replica}.${edit.index}`);
        if (edit.kind === "insert") expect(edit.text).toMatch(new RegExp(`^<${edit.index}[abc]>$`));
        if (edit.kind === "delete") expect(edit.length).toBeGreaterThanOrEqual(1);
      }
    }
    expect([...kinds].sort()).toEqual(["delete", "insert", "set"]);
  });
});

function replicaWith(workload: YjsWorkload, edits: readonly number[]): YjsReplicaState {
  const clients = new Map(["r0", "r1", "r2"].map((replica, index) => [replica, createDoc(101 + index)]));
  const document = createDoc(1000);
  for (const edit of workload.edits) {
    const update = authorEdit(clients.get(edit.replica)!, edit);
    if (edits.includes(edit.index)) Y.applyUpdate(document, update);
  }
  return { document, client: createDoc(101), outbox: [], typed: 0, sender: reliableSender(), workloadTimer: undefined };
}

function viewWith(replicas: Record<string, YjsReplicaState>, issued: readonly number[]): ExecutionView<YjsWorkload> {
  const notes: NoteRecord[] = issued.map((index, traceIndex) => ({ node: "r0", timeMs: 0, value: { index }, traceIndex }));
  return {
    variant: "yjs", workload: WORKLOAD, trace: [], nodes: {}, endedAtMs: 0,
    state: <State>(node: string) => replicas[node] as State,
    notes: (label) => (label === "issued" ? notes : []),
  };
}

const invariant = (name: string) => yjs.invariants!.find((candidate) => candidate.name === name)!;
const ALL = [0, 1, 2, 3, 4];

describe("yjs invariants fail on bad documents", () => {
  const whole = () => replicaWith(WORKLOAD, ALL);

  test("converged: a replica missing an update, or holding one pending", () => {
    expect(invariant("converged").check(viewWith({ r0: whole(), r1: whole(), r2: whole() }, ALL))).toBeUndefined();
    const behind = replicaWith(WORKLOAD, [0, 1, 2, 3]);
    expect(invariant("converged").check(viewWith({ r0: whole(), r1: behind, r2: whole() }, ALL))).toMatch(/^replicas differ: /);
    const pending = replicaWith(WORKLOAD, [1, 2, 3, 4]);
    const broken = invariant("converged").check(viewWith({ r0: pending, r1: pending, r2: pending }, ALL));
    expect(broken).toMatch(/\(updates pending\)/);
  });

  test("offline-merge: content other than the workload's updates merged", () => {
    expect(invariant("offline-merge").check(viewWith({ r0: whole(), r1: whole(), r2: whole() }, ALL))).toEqual([]);
    const other = whole();
    other.document.getText("text").insert(0, "Z");
    expect(invariant("offline-merge").check(viewWith({ r0: whole(), r1: whole(), r2: other }, ALL))).toEqual([
      `r2 holds {"map":{"title":"y"},"text":"ZACB"}, the workload means {"map":{"title":"y"},"text":"ACB"}`,
    ]);
  });

  test("every-edit-issued: a lost edit", () => {
    expect(invariant("every-edit-issued").check(viewWith({ r0: whole(), r1: whole(), r2: whole() }, [0, 1, 3, 4]))).toMatch(/^issued \[0,1,3,4\]/);
  });
});

describe("yjs variants under swarm", () => {
  test("yjs holds: one logical trace over 40 seeds", () => {
    const result = sweep({ scenario: yjs, variant: "yjs", seedFrom: 0, seedCount: 40, faults: "swarm" });
    expect(result.divergences).toBe(0);
    expect(result.logicalTraces).toBe(1);
  }, 30_000);

  test("yjs holds with a new logical input per seed", () => {
    const result = sweep({ scenario: yjs, variant: "yjs", seedFrom: 0, seedCount: 20, faults: "swarm", varyWorkload: true });
    expect(result.divergences).toBe(0);
    expect(result.logicalTraces).toBe(1);
  }, 30_000);

  test("same-id-after-lost-updates: replicas agree on the state vector and disagree on the content", () => {
    const result = sweep({ scenario: yjs, variant: "same-id-after-lost-updates", seedFrom: 0, seedCount: 200, faults: "swarm", stopAtFirstDivergence: true });
    const first = result.firstDivergence!;
    const converged = first.violations.find((violation) => violation.invariant === "converged");
    expect(converged).toBeDefined();
    // "replicas differ: r0: {content} vector=[...] | r1: ..."
    const replicas = converged!.message.replace(/^replicas differ: /, "").split(" | ").map((line) => line.match(/^r\d: (.*) vector=(.*)$/)!);
    expect(replicas).toHaveLength(3);
    expect(new Set(replicas.map((match) => match[2])).size).toBe(1);
    expect(new Set(replicas.map((match) => match[1])).size).toBeGreaterThan(1);
    expect(first.violations.map((violation) => violation.invariant)).toContain("offline-merge");
    // A client lost updates to a crash and reused its id: some replica crashed and restarted.
    expect(first.trace.some((event) => event.kind === "crash")).toBe(true);
    expect(first.violations.map((violation) => violation.invariant)).not.toContain("every-edit-issued");
  }, 30_000);
});
