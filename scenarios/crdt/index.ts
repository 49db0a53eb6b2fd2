// Scenario `crdt`: three replicas accept updates during partitions and crashes, and must converge
// after heal without coordination. One scenario; each variant is one data type in one form.
//
// Protocol: each replica issues its own updates from the workload when they fall due (persisting
// each before it counts as issued, noted `issued`). State-based types push their whole state to
// every peer until acknowledged and merge by join; operation-based types broadcast operations,
// resend until acknowledged and deliver each once (by origin and sequence number).
//
// Logical trace π: every replica's converged value, by replica. The logical value is fixed by the
// workload alone: updates are never lost (persisted first; one due while its replica is down is
// issued at restart, and heal restarts every replica), and no update depends on what a replica
// happened to receive: an OR-Set remove cancels the adds its own replica made of the element (its
// client's observed context), a 2P-Set remove follows its own replica's add.
//
// LWW-Register under skew: a write's stamp is max(the replica's skewed clock, greatest stamp it has
// seen + 1) (a hybrid clock), ties broken by replica. "The winning write" is the greatest stamp, not
// the latest in real time: skew alone could make an earlier write win. The workload's clients write
// in a chain (each write is issued once its replica has seen the previous write, as a client that
// reads before it writes), so stamps grow along the chain whatever the skew, crashes or partitions,
// and the winner is the chain's last write in every execution: one logical trace.
//
// LWW-Register on a coarse clock (lww-coarse): the writes are not chained but concurrent, and each
// is stamped with the time it falls due rounded down to COARSE_CLOCK_MS (300 ms), as a writer
// reading a coarse clock would: writes of different replicas in one period carry equal stamps, and
// the tie-break by replica decides. Stamps come from the workload, so the winner (greatest stamp,
// then replica, then index) is the same in every execution.
//
// Invariants: `converged` (every replica holds the same CRDT state), `logical-value` (each value
// equals the type's rule applied to the workload: net increments, set elements, last write),
// `every-update-issued` (each of the workload's updates issued exactly once).
//
// Variants (correct, holds): g-counter, pn-counter, g-set, 2p-set, or-set, lww-register, lww-coarse (state-
// based); op-g-counter, op-pn-counter, op-or-set (operation-based). Broken (diverges):
//   counter-merge-by-sum  G-Counter merge adds instead of pointwise max: a merged-again state counts twice
//   op-counter-no-dedup   PN-Counter delivers every copy: a duplicate or a resend counts twice
//   lww-arrival-order     the register keeps the write that arrived last: replicas disagree after reordering
//   lww-tie-by-arrival    the coarse register breaks equal stamps by arrival, not by replica: only equal
//                         stamps show it (with distinct stamps it is the correct merge)
//   or-set-as-2p-set      remove names the element, not the observed tags, as a 2P-Set does: it cancels
//                         whatever copies the receiver holds, so a concurrent re-add is lost on some replicas only

import { defineScenario, type Invariant, type NodeSpec, type Variant } from "../../src/index.ts";
import { gossipReplica } from "./gossipReplica.ts";
import { opReplica, type Deliver } from "./opReplica.ts";
import { deliverEvery, deliverOnce, opCounter, opOrSet, orSetEffectByElement, type OpType } from "./opTypes.ts";
import { sameJson, type ReplicaView } from "./ownUpdates.ts";
import {
  gCounter, gSet, lwwCoarseRegister, lwwRegister, mergeCounterBySum, mergeLwwByArrival, mergeLwwTieByArrival, orSet, pnCounter, twoPhaseSet, type StateType,
} from "./stateTypes.ts";
import { drawWorkload, logicalValue, REPLICAS, updatesFor, type CrdtWorkload, type TypeName } from "./workload.ts";

interface Form {
  readonly type: TypeName;
  readonly variant: Variant;
  replica(workload: CrdtWorkload): NodeSpec<any>;
}

const holds = (name: string, description: string): Variant => ({ name, expect: "holds", description });
const diverges = (name: string, description: string): Variant => ({ name, expect: "diverges", description, seedBudget: 2000 });

const gossip = (type: StateType<any>) => (workload: CrdtWorkload) => gossipReplica(type, workload);
const broadcast = (type: OpType<any>, deliver: Deliver) => (workload: CrdtWorkload) => opReplica(type, deliver, workload);
const once = deliverOnce as Deliver;

const FORMS: readonly Form[] = [
  { type: "g-counter", replica: gossip(gCounter()), variant: holds("g-counter", "State-based G-Counter: merge is the pointwise maximum.") },
  { type: "pn-counter", replica: gossip(pnCounter), variant: holds("pn-counter", "State-based PN-Counter: two G-Counters, increments and decrements.") },
  { type: "g-set", replica: gossip(gSet), variant: holds("g-set", "State-based grow-only set: merge is union.") },
  { type: "2p-set", replica: gossip(twoPhaseSet), variant: holds("2p-set", "State-based two-phase set: an added set and a permanent removed set.") },
  { type: "or-set", replica: gossip(orSet), variant: holds("or-set", "State-based observed-remove set: a remove cancels the tags it observed.") },
  { type: "lww-register", replica: gossip(lwwRegister()), variant: holds("lww-register", "State-based last-writer-wins register with hybrid stamps.") },
  {
    type: "lww-coarse", replica: gossip(lwwCoarseRegister()),
    variant: holds("lww-coarse", "LWW register on a coarse clock: concurrent writes with equal stamps, ties broken by replica."),
  },
  {
    type: "g-counter", replica: broadcast(opCounter("g-counter"), once),
    variant: holds("op-g-counter", "Operation-based G-Counter: increments resent until acknowledged, delivered once."),
  },
  {
    type: "pn-counter", replica: broadcast(opCounter("pn-counter"), once),
    variant: holds("op-pn-counter", "Operation-based PN-Counter: increments and decrements, delivered once."),
  },
  { type: "or-set", replica: broadcast(opOrSet(), once), variant: holds("op-or-set", "Operation-based OR-Set: removes carry the tags they observed.") },
  {
    type: "g-counter", replica: gossip(gCounter(mergeCounterBySum)),
    variant: diverges("counter-merge-by-sum", "G-Counter merge adds instead of taking the maximum: a state merged twice counts twice."),
  },
  {
    type: "pn-counter", replica: broadcast(opCounter("pn-counter"), deliverEvery as Deliver),
    variant: diverges("op-counter-no-dedup", "Operation-based PN-Counter without deduplication: a duplicate counts twice."),
  },
  {
    type: "lww-register", replica: gossip(lwwRegister(mergeLwwByArrival)),
    variant: diverges("lww-arrival-order", "The register keeps the write that arrived last, whatever its stamp."),
  },
  {
    type: "lww-coarse", replica: gossip(lwwCoarseRegister(mergeLwwTieByArrival)),
    variant: diverges("lww-tie-by-arrival", "On equal stamps the write that arrived last wins: replicas disagree when concurrent writes tie."),
  },
  {
    type: "or-set", replica: broadcast(opOrSet(orSetEffectByElement), once),
    variant: diverges("or-set-as-2p-set", "Remove names the element, not its tags: a concurrent re-add survives on some replicas only."),
  },
];

function formOf(variant: string): Form {
  return FORMS.find((form) => form.variant.name === variant)!;
}

const replicaViews = (view: { state<S>(node: string): S }): [string, ReplicaView][] =>
  REPLICAS.map((replica) => [replica, view.state<ReplicaView>(replica)]);

const invariants: readonly Invariant<CrdtWorkload>[] = [
  {
    name: "converged",
    description: "After heal and quiescence every replica holds the same CRDT state.",
    check: (view) => {
      const [first, ...others] = replicaViews(view);
      const differing = others.filter(([, replica]) => !sameJson(replica.crdt, first![1].crdt));
      if (differing.length === 0) return undefined;
      const states = replicaViews(view).map(([id, replica]) => `${id}=${JSON.stringify(replica.crdt)}`).join(" ");
      return `${differing.map(([id]) => id).join(", ")} differ from ${first![0]}: ${states}`;
    },
  },
  {
    name: "logical-value",
    description: "Each replica's value is the type's rule applied to the workload.",
    check: (view) => {
      const expected = logicalValue(formOf(view.variant).type, view.workload.updates);
      const wrong = replicaViews(view).filter(([, replica]) => !sameJson(replica.value, expected));
      return wrong.map(([id, replica]) => `${id} reads ${JSON.stringify(replica.value)}, the workload means ${JSON.stringify(expected)}`);
    },
  },
  {
    name: "every-update-issued",
    description: "Each of the workload's updates was issued exactly once.",
    check: (view) => {
      const expected = updatesFor(formOf(view.variant).type, view.workload.updates).map((update) => update.index);
      const issued = view.notes("issued").map((note) => (note.value as { index: number }).index).sort((a, b) => a - b);
      return sameJson(issued, expected) ? undefined : `issued updates ${JSON.stringify(issued)}, the workload has ${JSON.stringify(expected)}`;
    },
  },
];

export default defineScenario<CrdtWorkload>({
  name: "crdt",
  description: "Three replicas of a CRDT (counters, sets, register; state- and operation-based) converge after heal.",
  variants: FORMS.map((form) => form.variant),
  workload: drawWorkload,
  nodes: ({ variant, workload }) => {
    const form = formOf(variant);
    return Object.fromEntries(REPLICAS.map((replica) => [replica, form.replica(workload)]));
  },
  project: (view) => ({ type: formOf(view.variant).type, values: Object.fromEntries(replicaViews(view).map(([id, replica]) => [id, replica.value])) }),
  invariants,
});
