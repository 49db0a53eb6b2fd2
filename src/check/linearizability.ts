// Linearizability checking of a client-observed history against a sequential model: the Wing–Gong
// search with Lowe's memoization of (linearized set, state), over each partition of the history
// on its own (per key, for a key-value store), as Porcupine does for Go.
//
// An operation is a call and a return in time. An operation that never returned (it timed out and
// may or may not have happened) has `returnMs: undefined`: it may be linearized anywhere after its
// call, or, since it then sits after every completed operation, effectively not at all.
// On a violation the checker reports a 1-minimal set of operations of one partition that cannot
// be linearized: if any one of them were relaxed (its result and return forgotten, like an
// operation that timed out) the history would be linearizable.

export interface Operation<Input, Output> {
  readonly client: string;
  readonly input: Input;
  /** The observed result; undefined when the operation never returned. */
  readonly output?: Output;
  readonly callMs: number;
  /** Undefined when the operation never returned. */
  readonly returnMs?: number;
}

/** A sequential specification, as plain functions (Porcupine's Model). */
export interface Model<State, Input, Output> {
  readonly name: string;
  /** Independent sub-histories (per key); each is checked alone. Default: the whole history. */
  partition?(operations: readonly Operation<Input, Output>[]): readonly (readonly Operation<Input, Output>[])[];
  init(): State;
  /** The state after `input` produced `output`, or undefined if that output is impossible. Output is undefined for an operation that never returned. */
  step(state: State, input: Input, output: Output | undefined): State | undefined;
  /** A string equal for equal states: the memo's key. */
  stateKey(state: State): string;
  describe(operation: Operation<Input, Output>): string;
}

export interface LinearizabilityLimits {
  /** Search steps (operations tried) per partition before the answer is "unknown". */
  readonly stepsMax: number;
  /** Checks the shrinking of a violation may spend before it reports what it has. */
  readonly shrinkChecksMax: number;
  /** Search steps of one shrinking check; a check that passes it keeps the operation. */
  readonly shrinkStepsMax: number;
}

export const DEFAULT_LINEARIZABILITY_LIMITS: LinearizabilityLimits = { stepsMax: 50_000_000, shrinkChecksMax: 2_000, shrinkStepsMax: 200_000 };

export type LinearizabilityResult<Input, Output> =
  | { readonly verdict: "linearizable"; readonly partitions: number }
  | { readonly verdict: "not-linearizable"; readonly partitions: number; readonly operations: readonly Operation<Input, Output>[]; readonly explanation: string }
  | { readonly verdict: "unknown"; readonly partitions: number; readonly reason: string };

type Search = "linearizable" | "not-linearizable" | "step-limit";

export function checkLinearizability<State, Input, Output>(
  history: readonly Operation<Input, Output>[],
  model: Model<State, Input, Output>,
  limits: Partial<LinearizabilityLimits> = {},
): LinearizabilityResult<Input, Output> {
  const bounds = { ...DEFAULT_LINEARIZABILITY_LIMITS, ...limits };
  const stepsMax = bounds.stepsMax;
  const partitions = model.partition?.(history) ?? [history];
  for (const partition of partitions) {
    const found = searchLinearization(partition, model, stepsMax);
    if (found === "step-limit") return { verdict: "unknown", partitions: partitions.length, reason: `the search passed ${stepsMax} steps on a partition of ${partition.length} operations` };
    if (found === "linearizable") continue;
    const operations = shrink(partition, model, bounds);
    const explanation = `no order of these ${operations.length} operations consistent with real time is a legal ${model.name} history (whatever the other operations did)`;
    return { verdict: "not-linearizable", partitions: partitions.length, operations, explanation };
  }
  return { verdict: "linearizable", partitions: partitions.length };
}

interface Entry {
  readonly isCall: boolean;
  readonly operationIndex: number;
  readonly timeMs: number;
  match: Entry | undefined;
  previous: Entry | undefined;
  next: Entry | undefined;
}

/** The call and return events of a partition, as a time-ordered doubly linked list behind a head. */
function entryList<Input, Output>(operations: readonly Operation<Input, Output>[]): Entry {
  const entries: Entry[] = [];
  operations.forEach((operation, operationIndex) => {
    const call: Entry = { isCall: true, operationIndex, timeMs: operation.callMs, match: undefined, previous: undefined, next: undefined };
    const returned: Entry = { isCall: false, operationIndex, timeMs: operation.returnMs ?? Infinity, match: undefined, previous: undefined, next: undefined };
    call.match = returned;
    entries.push(call, returned);
  });
  // At equal times calls come first: operations that touch are treated as concurrent.
  entries.sort((a, b) => a.timeMs - b.timeMs || Number(a.isCall === false) - Number(b.isCall === false) || a.operationIndex - b.operationIndex);
  const head: Entry = { isCall: false, operationIndex: -1, timeMs: -Infinity, match: undefined, previous: undefined, next: undefined };
  let last = head;
  for (const entry of entries) {
    last.next = entry;
    entry.previous = last;
    last = entry;
  }
  return head;
}

/** Takes a call and its return out of the list. */
function lift(entry: Entry): void {
  entry.previous!.next = entry.next;
  entry.next!.previous = entry.previous;
  const match = entry.match!;
  match.previous!.next = match.next;
  if (match.next !== undefined) match.next.previous = match.previous;
}

/** Puts a lifted call and its return back, in reverse order of lift. */
function unlift(entry: Entry): void {
  const match = entry.match!;
  match.previous!.next = match;
  if (match.next !== undefined) match.next.previous = match;
  entry.previous!.next = entry;
  entry.next!.previous = entry;
}

/** A set of operation indices with an incremental hash, for the memo of visited configurations. */
class LinearizedSet {
  readonly words: Uint32Array;
  hash = 0;

  constructor(size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32) + 1);
  }

  toggle(index: number): void {
    this.words[index >>> 5]! ^= 1 << (index & 31);
    this.hash = (this.hash ^ mixIndex(index)) >>> 0;
  }

  has(index: number): boolean {
    return (this.words[index >>> 5]! & (1 << (index & 31))) !== 0;
  }
}

function mixIndex(index: number): number {
  let value = Math.imul(index + 0x9e3779b9, 0x85ebca6b);
  value ^= value >>> 13;
  value = Math.imul(value, 0xc2b2ae35);
  return (value ^ (value >>> 16)) >>> 0;
}

/** The memo: configurations (linearized set, state) already explored, by set hash. */
class VisitedConfigurations {
  private readonly buckets = new Map<string, Uint32Array[]>();

  /** Adds the configuration; false if it was already there. */
  add(set: LinearizedSet, stateKey: string): boolean {
    const bucketKey = `${set.hash}|${stateKey}`;
    let bucket = this.buckets.get(bucketKey);
    if (bucket === undefined) this.buckets.set(bucketKey, (bucket = []));
    for (const words of bucket) if (sameWords(words, set.words)) return false;
    bucket.push(set.words.slice());
    return true;
  }
}

function sameWords(a: Uint32Array, b: Uint32Array): boolean {
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

function searchLinearization<State, Input, Output>(operations: readonly Operation<Input, Output>[], model: Model<State, Input, Output>, stepsMax: number): Search {
  const head = entryList(operations);
  const linearized = new LinearizedSet(operations.length);
  const visited = new VisitedConfigurations();
  const calls: { entry: Entry; state: State }[] = [];
  let state = model.init();
  let entry = head.next;
  let steps = 0;
  while (head.next !== undefined) {
    if (++steps > stepsMax) return "step-limit";
    if (entry!.isCall) {
      const operation = operations[entry!.operationIndex]!;
      const nextState = model.step(state, operation.input, operation.output);
      if (nextState !== undefined) {
        linearized.toggle(entry!.operationIndex);
        if (visited.add(linearized, model.stateKey(nextState))) {
          calls.push({ entry: entry!, state });
          state = nextState;
          lift(entry!);
          entry = head.next;
          continue;
        }
        linearized.toggle(entry!.operationIndex);
      }
      entry = entry!.next;
    } else {
      // A return whose call is not yet linearized: undo the last choice and try the next one.
      const top = calls.pop();
      if (top === undefined) return "not-linearizable";
      state = top.state;
      linearized.toggle(top.entry.operationIndex);
      unlift(top.entry);
      entry = top.entry.next;
    }
  }
  return "linearizable";
}

/**
 * Greedy 1-minimization by relaxing: a relaxed operation keeps its call but loses its result and
 * return (it may take effect at any time after its call, or not at all). The answer is the set of
 * operations left constrained: relaxing any one of them makes the history linearizable. (Removing
 * instead of relaxing would report "a read of a value never written" for every stale read.)
 */
function shrink<State, Input, Output>(partition: readonly Operation<Input, Output>[], model: Model<State, Input, Output>, limits: LinearizabilityLimits): Operation<Input, Output>[] {
  const history = [...partition].sort((a, b) => a.callMs - b.callMs);
  const relaxed = new Array<boolean>(history.length).fill(false);
  let checks = 0;
  const stillFails = (indices: readonly number[]): boolean => {
    checks++;
    const relaxing = new Set(indices);
    const candidate = history.map((operation, index) => (relaxed[index] || relaxing.has(index) ? relax(operation) : operation));
    return searchLinearization(candidate, model, limits.shrinkStepsMax) === "not-linearizable";
  };
  const constrained = () => history.flatMap((_operation, index) => (relaxed[index] ? [] : [index]));
  // First the operations called last, by bisection on how many of them to relax at once.
  let low = 1;
  let high = history.length;
  while (low < high && checks < limits.shrinkChecksMax) {
    const middle = (low + high) >>> 1;
    if (stillFails(constrained().slice(middle))) high = middle;
    else low = middle + 1;
  }
  if (high < history.length && stillFails(constrained().slice(high))) for (let index = high; index < history.length; index++) relaxed[index] = true;
  // Then chunks of the rest, down to single operations, until no single one can be relaxed.
  for (let chunk = Math.floor(high / 2); chunk >= 1 && checks < limits.shrinkChecksMax; chunk = Math.floor(chunk / 2)) {
    for (let changed = true; changed && checks < limits.shrinkChecksMax; ) {
      changed = false;
      const left = constrained();
      for (let start = left.length - chunk; start >= 0 && checks < limits.shrinkChecksMax; start -= chunk) {
        const indices = left.slice(start, start + chunk).filter((index) => !relaxed[index]);
        if (indices.length === 0 || !stillFails(indices)) continue;
        for (const index of indices) relaxed[index] = true;
        changed = chunk === 1;
      }
    }
  }
  return constrained().map((index) => history[index]!);
}

function relax<Input, Output>(operation: Operation<Input, Output>): Operation<Input, Output> {
  return { client: operation.client, input: operation.input, callMs: operation.callMs };
}
