// The CRDT laws, with fast-check: every state merge of a correct type is a join (associative,
// commutative, idempotent); every operation-based delivery of a correct type commutes and is
// idempotent (with deduplication). Each broken variant's function fails a law: fast-check finds a
// counterexample, which the test checks is one (not its exact shape, which fast-check's shrinker
// may change between versions), and a hand-written counterexample fails the law for a stated reason.

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { canonicalJson, type Json } from "../../src/index.ts";
import { deliverEvery, deliverOnce, opCounter, opOrSet, orSetEffectByElement, type Operation, type OperationMessage, type OpState, type OpType } from "../../scenarios/crdt/opTypes.ts";
import {
  gCounter, gSet, lwwCoarseRegister, lwwRegister, mergeCounterBySum, mergeLwwByArrival, mergeLwwByStamp, mergeLwwTieByArrival, orSet, pnCounter, twoPhaseSet,
  type Counter, type LwwRegister, type StateType,
} from "../../scenarios/crdt/stateTypes.ts";

const RUNS = { numRuns: 300, seed: 42 };
const same = (a: Json, b: Json): boolean => canonicalJson(a) === canonicalJson(b);

const replica = fc.constantFrom("r0", "r1", "r2");
const counter: fc.Arbitrary<Counter> = fc.dictionary(replica, fc.nat(20));
const elements = fc.uniqueArray(fc.nat(4)).map((list) => [...list].sort((a, b) => a - b));
const TAGS = ["r0/0", "r0/1", "r1/2", "r1/3", "r2/4", "r2/5"];
/** An OR-Set state as replicas build it: a tag always names the same element. */
const orSetState = fc.record({ adds: fc.subarray(TAGS), removed: fc.subarray(TAGS) }).map(({ adds, removed }) => ({
  adds: Object.fromEntries(adds.map((tag) => [tag, Number(tag.slice(3)) % 2])),
  removed: [...removed].sort(),
}));
const lww: fc.Arbitrary<LwwRegister> = fc.option(
  fc.record({ stampMs: fc.nat(5), replica, index: fc.nat(3), element: fc.nat(2) }),
  { nil: null },
);

/** Checks the three join laws; returns fast-check's report so broken merges can be inspected. */
function joinLaws<S extends Json>(merge: StateType<S>["merge"], state: fc.Arbitrary<S>) {
  return {
    associative: fc.check(fc.property(state, state, state, (a, b, c) => same(merge(merge(a, b), c), merge(a, merge(b, c)))), RUNS),
    commutative: fc.check(fc.property(state, state, (a, b) => same(merge(a, b), merge(b, a))), RUNS),
    idempotent: fc.check(fc.property(state, (a) => same(merge(a, a), a)), RUNS),
  };
}

describe("state-based merges are joins", () => {
  const cases: [string, StateType<any>, fc.Arbitrary<any>][] = [
    ["g-counter", gCounter(), counter],
    ["pn-counter", pnCounter, fc.record({ p: counter, n: counter })],
    ["g-set", gSet, elements],
    ["2p-set", twoPhaseSet, fc.record({ added: elements, removed: elements })],
    ["or-set", orSet, orSetState],
    ["lww-register", lwwRegister(), lww],
    ["lww-coarse", lwwCoarseRegister(), lww],
  ];
  test.each(cases)("%s", (_name, type, state) => {
    const laws = joinLaws(type.merge, state);
    expect(laws.associative.failed).toBe(false);
    expect(laws.commutative.failed).toBe(false);
    expect(laws.idempotent.failed).toBe(false);
  });
});

describe("broken state merges fail a law", () => {
  test("lww-tie-by-arrival is the correct merge on distinct stamps and not commutative on equal ones", () => {
    const distinct = fc.tuple(lww, lww).filter(([a, b]) => a === null || b === null || a.stampMs !== b.stampMs);
    expect(fc.check(fc.property(distinct, ([a, b]) => same(mergeLwwTieByArrival(a, b), mergeLwwByStamp(a, b))), RUNS).failed).toBe(false);
    const laws = joinLaws(mergeLwwTieByArrival, lww);
    expect(laws.commutative.failed).toBe(true);
    const [a, b] = laws.commutative.counterexample as [NonNullable<LwwRegister>, NonNullable<LwwRegister>];
    expect(a.stampMs).toBe(b.stampMs);
  });

  test("counter-merge-by-sum is not idempotent: a state merged with itself doubles", () => {
    const laws = joinLaws(mergeCounterBySum, counter);
    expect(laws.idempotent.failed).toBe(true);
    const [found] = laws.idempotent.counterexample!;
    expect(same(mergeCounterBySum(found!, found!), found!)).toBe(false);
    expect(mergeCounterBySum({ r0: 1 }, { r0: 1 })).toEqual({ r0: 2 });
  });

  test("lww-arrival-order is not commutative: the later argument wins", () => {
    const laws = joinLaws(mergeLwwByArrival, lww);
    expect(laws.commutative.failed).toBe(true);
    const [a, b] = laws.commutative.counterexample!;
    expect(same(mergeLwwByArrival(a!, b!), mergeLwwByArrival(b!, a!))).toBe(false);
    // Two writes of one stamp: whichever argument comes later wins, so the order decides.
    const first = { stampMs: 0, replica: "r0", index: 0, element: 0 } as const;
    const second = { stampMs: 0, replica: "r0", index: 1, element: 0 } as const;
    expect(mergeLwwByArrival(first, second)).toEqual(second);
    expect(mergeLwwByArrival(second, first)).toEqual(first);
  });
});

/** Messages from a fixed universe: (origin, seq) always names the same operation, as in the protocol. */
function messages<V extends Json>(type: OpType<V>): fc.Arbitrary<OperationMessage> {
  const operationOf = (origin: string, seq: number): Operation => {
    const element = (seq >> 1) % 2;
    if (type.name !== "or-set") return { kind: "increment", amount: seq % 2 === 0 ? seq + 1 : -seq };
    if (seq % 2 === 0) return { kind: "add", element, tag: `${origin}/${seq}` };
    return { kind: "remove", element, tags: [`${origin}/${seq - 1}`] };
  };
  return fc.record({ origin: replica, seq: fc.nat(3) }).map(({ origin, seq }) => ({ origin, seq, operation: operationOf(origin, seq) }));
}

type Deliver = <V extends Json>(type: OpType<V>, state: OpState<V>, message: OperationMessage) => OpState<V>;

function deliveryLaws<V extends Json>(type: OpType<V>, deliver: Deliver) {
  const message = messages(type);
  const state = fc.array(message, { maxLength: 4 }).map((history) =>
    history.reduce((current, next) => deliver(type, current, next), { value: type.initial(), delivered: [] } as OpState<V>));
  return {
    commutative: fc.check(fc.property(state, message, message, (s, a, b) =>
      same(deliver(type, deliver(type, s, a), b), deliver(type, deliver(type, s, b), a))), RUNS),
    idempotent: fc.check(fc.property(state, message, (s, a) => same(deliver(type, deliver(type, s, a), a), deliver(type, s, a))), RUNS),
  };
}

describe("operation-based delivery", () => {
  test.each([
    ["op-g-counter", opCounter("g-counter")],
    ["op-pn-counter", opCounter("pn-counter")],
    ["op-or-set", opOrSet()],
  ] as [string, OpType<any>][])("%s: delivering once commutes and is idempotent", (_name, type) => {
    const laws = deliveryLaws(type, deliverOnce as Deliver);
    expect(laws.commutative.failed).toBe(false);
    expect(laws.idempotent.failed).toBe(false);
  });

  test("op-counter-no-dedup is not idempotent: a duplicate counts twice", () => {
    const type = opCounter("pn-counter");
    const laws = deliveryLaws(type, deliverEvery as Deliver);
    expect(laws.commutative.failed).toBe(false);
    expect(laws.idempotent.failed).toBe(true);
    const [state, message] = laws.idempotent.counterexample!;
    const once = deliverEvery(type, state!, message!);
    expect(same(deliverEvery(type, once, message!), once)).toBe(false);
    const increment: OperationMessage = { origin: "r0", seq: 0, operation: { kind: "increment", amount: 1 } };
    const empty = { value: type.initial(), delivered: [] };
    expect(deliverEvery(type, deliverEvery(type, empty, increment), increment).value).toBe(2);
    expect(deliverOnce(type, deliverOnce(type, empty, increment), increment).value).toBe(1);
  });

  test("or-set-as-2p-set does not commute: a remove by element cancels an add only if it came first", () => {
    const type = opOrSet(orSetEffectByElement);
    const laws = deliveryLaws(type, deliverOnce as Deliver);
    expect(laws.commutative.failed).toBe(true);
    const [state, a, b] = laws.commutative.counterexample!;
    expect(same(deliverOnce(type, deliverOnce(type, state!, a!), b!), deliverOnce(type, deliverOnce(type, state!, b!), a!))).toBe(false);
    const add: OperationMessage = { origin: "r0", seq: 2, operation: { kind: "add", element: 1, tag: "r0/2" } };
    const remove: OperationMessage = { origin: "r0", seq: 3, operation: { kind: "remove", element: 1, tags: ["r0/2"] } };
    const empty = { value: type.initial(), delivered: [] };
    const removeFirst = deliverOnce(type, deliverOnce(type, empty, remove), add);
    const addFirst = deliverOnce(type, deliverOnce(type, empty, add), remove);
    expect(same(removeFirst.value, addFirst.value)).toBe(false);
    // The correct OR-Set commutes on the same two messages: its remove names the tag it observed.
    const correct = opOrSet();
    expect(same(deliverOnce(correct, deliverOnce(correct, empty, remove), add).value, deliverOnce(correct, deliverOnce(correct, empty, add), remove).value)).toBe(true);
  });
});
