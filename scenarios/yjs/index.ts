// Scenario `yjs`: the real Yjs library (package `yjs`, unpatched) under dsim. Three replicas each
// hold a Y.Doc with a shared map and a shared text; each replica's client makes concurrent edits
// from the workload, and the replicas exchange Yjs update messages over the faulty network.
//
// Protocol: a client authors its edits offline, against its own history (authoring.ts); the replica
// applies each own update, persists it, and sends it to every peer until acknowledged; receivers
// apply updates in whatever order and as often as they arrive (Yjs holds updates whose
// predecessors are missing as pending and ignores known ones), persist, then acknowledge.
//
// Determinism inside the simulator, through Yjs's public API only: `new Y.Doc({ guid })` so no uuid
// is drawn, then `doc.clientID = …` before any transaction, a fixed id per replica (see
// authoring.ts for why a fixed id, and replica.ts for why reusing it after a restart is safe). Yjs
// reads no clock and no other randomness on this path (UndoManager, unused, reads the time).
// Note: the constructor's own random draw (lib0 binds node:crypto's getRandomValues at import) does
// not pass through the runtime guard; it is overwritten before it is used.
//
// Logical trace π: each replica's content (map entries, text). Every update is a function of the
// workload, and Yjs merges the same updates into the same content in any order: one logical trace.
// Invariants: `converged` (same content and same state vector everywhere, nothing pending),
// `offline-merge` (the content equals the workload's updates merged in one fresh document),
// `every-edit-issued` (each edit issued exactly once).
//
// Variants: `yjs` (holds). `same-id-after-lost-updates` (diverges): own updates are stored lazily
// and sent at once, and a restarted client keeps its id though a crash lost its newest updates; it
// authors new edits at (client, clock) ids its peers already hold, which Yjs documents as unsafe:
// the peers take them for duplicates, and the replicas disagree under equal state vectors.

import { defineScenario, type Invariant } from "../../src/index.ts";
import * as Y from "yjs";
import { contentOf, expectedContent, drawYjsWorkload, REPLICAS, type YjsWorkload } from "./authoring.ts";
import { yjsReplica, type YjsReplicaState } from "./replica.ts";

const replicaStates = (view: { state<S>(node: string): S }): [string, YjsReplicaState][] =>
  REPLICAS.map((replica) => [replica, view.state<YjsReplicaState>(replica)]);

function describeReplica(id: string, state: YjsReplicaState): string {
  const vector = [...Y.decodeStateVector(Y.encodeStateVector(state.document))].sort(([a], [b]) => a - b);
  const pending = state.document.store.pendingStructs !== null || state.document.store.pendingDs !== null;
  return `${id}: ${JSON.stringify(contentOf(state.document))} vector=${JSON.stringify(vector)}${pending ? " (updates pending)" : ""}`;
}

const invariants: readonly Invariant<YjsWorkload>[] = [
  {
    name: "converged",
    description: "Every replica has the same content and state vector, and no update is left pending.",
    check: (view) => {
      const described = replicaStates(view).map(([id, state]) => describeReplica(id, state));
      const shapes = new Set(described.map((line) => line.slice(line.indexOf(":"))));
      return shapes.size === 1 && !described[0]!.endsWith("(updates pending)") ? undefined : `replicas differ: ${described.join(" | ")}`;
    },
  },
  {
    name: "offline-merge",
    description: "The content equals the workload's updates merged in one fresh document.",
    check: (view) => {
      const expected = JSON.stringify(expectedContent(view.workload));
      const wrong = replicaStates(view).filter(([, state]) => JSON.stringify(contentOf(state.document)) !== expected);
      return wrong.map(([id, state]) => `${id} holds ${JSON.stringify(contentOf(state.document))}, the workload means ${expected}`);
    },
  },
  {
    name: "every-edit-issued",
    description: "Each of the workload's edits was issued exactly once.",
    check: (view) => {
      const issued = view.notes("issued").map((note) => (note.value as { index: number }).index).sort((a, b) => a - b);
      const expected = view.workload.edits.map((edit) => edit.index);
      return JSON.stringify(issued) === JSON.stringify(expected) ? undefined : `issued ${JSON.stringify(issued)}, the workload has ${JSON.stringify(expected)}`;
    },
  },
];

export default defineScenario<YjsWorkload>({
  name: "yjs",
  description: "Three replicas of a real Yjs document (map and text) exchange updates over a faulty network.",
  variants: [
    { name: "yjs", expect: "holds", description: "Fixed client id per replica, persisted outbox, updates resent until acknowledged." },
    {
      name: "same-id-after-lost-updates", expect: "diverges", seedBudget: 2000,
      description: "Stores own updates lazily but keeps its client id: after a crash it reuses (client, clock) ids peers hold.",
    },
  ],
  workload: drawYjsWorkload,
  nodes: ({ variant, workload }) => {
    const ownUpdates = variant === "same-id-after-lost-updates" ? "lazy" : "fsync-before-send";
    return Object.fromEntries(REPLICAS.map((replica) => [replica, yjsReplica(workload, ownUpdates)]));
  },
  project: (view) => ({ replicas: Object.fromEntries(replicaStates(view).map(([id, state]) => [id, contentOf(state.document)])) }),
  invariants,
});
