// The linearizability search of one partition: Wing & Gong's, with Lowe's memo of visited
// configurations, over a time-ordered doubly linked list of call and return entries, as
// Porcupine's checkSingle does. It linearizes the first call it can (the model accepts its
// output and the configuration is new), lifts it out of the list and starts again from the head;
// meeting a return whose call is not linearized, it undoes the last choice and tries the next.
//
// Everything hot lives in typed arrays: the list (next/prev), the linearized set (a bitset with an
// incremental Zobrist hash), the stack of choices. The search is resumable: `run(steps)` does at
// most that many steps, so several partitions can take turns, and the first that fails ends the
// check, as Porcupine's parallel partitions do.
//
// Operations that never returned ("pending") may take effect anywhere after their call, or never.
// They sit in a list of their own and are tried only after every returned candidate, at a point
// where the search is blocked by a return: just in time, where they can help. Two more refinements
// keep them cheap, both sound because a pending operation never constrains when anything else
// happens: a pending operation is not linearized where it would leave the state unchanged (it
// could not enable anything), and of pending operations with equal inputs only the earliest called
// and not yet linearized is tried (the others are interchangeable with it). The search succeeds
// when every operation that returned is linearized.

import type { Model, Operation } from "./sequentialModel.ts";
import { CACHE_ADDED, CACHE_PRESENT, ConfigurationCache, type MemoryBudget } from "./configurationCache.ts";
import { ModelError } from "./modelError.ts";
import { defaultStateKey, StateTable } from "./stateTable.ts";

export type SearchStatus = "running" | "linearizable" | "not-linearizable" | "out-of-memory";

const NONE = -1;

/**
 * Configurations wider than this many words (the window of returned operations plus the pending
 * part) are not memoized: the memo only saves time, and one operation that stays open across a
 * long history would otherwise make every stored configuration as big as the history.
 */
export const MEMO_ENTRY_WORDS_MAX = 256;

export class WglSearch<State, Input, Output> {
  /** Steps taken so far: one per entry looked at. */
  steps = 0;
  status: SearchStatus = "running";

  private readonly operationCount: number;
  private readonly returnedCount: number;
  /** Bit of the first pending operation: the next multiple of 32 after the returned ones. */
  private readonly pendingBase: number;
  private readonly operationOfSlot: Int32Array;
  private readonly inputs: Input[];
  private readonly outputs: (Output | undefined)[];
  private readonly pendingTwin: Int32Array;
  private readonly next: Int32Array;
  private readonly previous: Int32Array;
  /** Head of the list of returned operations' calls and returns, in time order. */
  private readonly head: number;
  /** Head of the list of pending operations' calls, in time order. */
  private readonly pendingHead: number;
  private readonly entryTimeMs: Float64Array;
  private readonly words: Uint32Array;
  private readonly cache: ConfigurationCache;
  private readonly states: StateTable<State>;
  private readonly stepOf: (state: State, input: Input, output: Output | undefined) => State | undefined;

  // The position of the search between runs: scanning the returned list at `entry`, or, blocked
  // by a return at `blockMs`, the pending list at `entry`.
  private entry: number;
  private inPending = false;
  private blockMs = 0;
  private depth = 0;
  private state: State;
  private stateId: number;
  private hash = 0;
  private low = 0;
  private highReturned = -1;
  private highPending = -1;
  private linearizedReturned = 0;
  private readonly frameEntry: Int32Array;
  private readonly frameStateId: Int32Array;
  private readonly frameHash: Int32Array;
  private readonly frameLow: Int32Array;
  private readonly frameHighReturned: Int32Array;
  private readonly frameHighPending: Int32Array;
  private readonly frameBlockMs: Float64Array;
  private readonly frameState: (State | undefined)[];

  constructor(
    readonly operations: readonly Operation<Input, Output>[],
    private readonly model: Model<State, Input, Output>,
    budget: MemoryBudget,
  ) {
    const count = operations.length;
    this.operationCount = count;
    operations.forEach((operation, index) => assertTimes(operation, index));
    const byCall = (a: number, b: number) => operations[a]!.callMs - operations[b]!.callMs || a - b;
    const indices = operations.map((_operation, index) => index);
    const returned = indices.filter((index) => operations[index]!.returnMs !== undefined).sort(byCall);
    const pending = indices.filter((index) => operations[index]!.returnMs === undefined).sort(byCall);
    this.returnedCount = returned.length;
    this.pendingBase = Math.ceil(returned.length / 32) * 32;
    this.operationOfSlot = Int32Array.from([...returned, ...pending]);
    this.inputs = Array.from(this.operationOfSlot, (index) => operations[index]!.input);
    this.outputs = Array.from(this.operationOfSlot, (index) => operations[index]!.output);
    this.pendingTwin = pendingTwins(this.inputs, returned.length);
    this.words = new Uint32Array(Math.max(1, Math.ceil((this.pendingBase + pending.length) / 32)));

    // The entry lists: call of slot s is entry 2s, its return 2s + 1. Returned operations' calls
    // and returns share one list; pending operations' calls are in another; the heads follow.
    this.entryTimeMs = new Float64Array(2 * count);
    for (let slot = 0; slot < count; slot++) {
      const operation = operations[this.operationOfSlot[slot]!]!;
      this.entryTimeMs[2 * slot] = operation.callMs;
      this.entryTimeMs[2 * slot + 1] = operation.returnMs ?? Infinity;
    }
    this.head = 2 * count;
    this.pendingHead = 2 * count + 1;
    this.next = new Int32Array(2 * count + 2).fill(NONE);
    this.previous = new Int32Array(2 * count + 2).fill(NONE);
    const returnedEntries = Int32Array.from({ length: 2 * this.returnedCount }, (_unused, entry) => entry);
    // At equal times calls come first: operations that touch are concurrent (closed intervals).
    returnedEntries.sort((a, b) => this.entryTimeMs[a]! - this.entryTimeMs[b]! || (a & 1) - (b & 1) || a - b);
    this.link(this.head, returnedEntries);
    this.link(this.pendingHead, Int32Array.from({ length: pending.length }, (_unused, index) => 2 * (this.returnedCount + index)));
    this.entry = this.next[this.head]!;

    this.frameEntry = new Int32Array(count);
    this.frameStateId = new Int32Array(count);
    this.frameHash = new Int32Array(count);
    this.frameLow = new Int32Array(count);
    this.frameHighReturned = new Int32Array(count);
    this.frameHighPending = new Int32Array(count);
    this.frameBlockMs = new Float64Array(count);
    this.frameState = new Array<State | undefined>(count).fill(undefined);

    this.cache = new ConfigurationCache(budget);
    const stateKey = model.stateKey === undefined ? defaultStateKey : model.stateKey.bind(model);
    this.states = new StateTable<State>(budget, stateKey as (state: State) => unknown);
    this.stepOf = model.step.bind(model);
    this.state = this.callModel(() => model.init(), "init");
    this.stateId = this.callModel(() => this.states.idOf(this.state), "stateKey");
    if (this.stateId < 0) this.status = "out-of-memory";
  }

  private link(head: number, entries: Int32Array): void {
    let last = head;
    for (const entry of entries) {
      this.next[last] = entry;
      this.previous[entry] = last;
      last = entry;
    }
  }

  /** Visited configurations held in the memo. */
  get visited(): number {
    return this.cache.size;
  }

  /** Searches for at most `stepsAllowed` more steps; returns the status ("running": not decided yet). */
  run(stepsAllowed: number): SearchStatus {
    if (this.status !== "running") return this.status;
    const { next, previous, head, pendingHead, entryTimeMs, words, cache, states, stepOf, inputs, outputs, pendingTwin } = this;
    const returnedCount = this.returnedCount;
    const pendingBase = this.pendingBase;
    const pendingWordFrom = pendingBase >>> 5;
    const { frameEntry, frameStateId, frameHash, frameLow, frameHighReturned, frameHighPending, frameBlockMs, frameState } = this;
    let { entry, inPending, blockMs, depth, state, stateId, hash, low, highReturned, highPending, linearizedReturned } = this;
    let steps = 0;
    let status: SearchStatus = "running";
    try {
      for (;;) {
        if (linearizedReturned === returnedCount) {
          status = "linearizable";
          break;
        }
        if (steps === stepsAllowed) break;
        steps++;
        let candidate = false;
        if (!inPending) {
          if ((entry & 1) === 0) candidate = true;
          else {
            // Blocked by a return: now the pending operations called before it.
            inPending = true;
            blockMs = entryTimeMs[entry]!;
            entry = next[pendingHead]!;
            continue;
          }
        } else if (entry !== NONE && entryTimeMs[entry]! <= blockMs) candidate = true;
        if (candidate) {
          const slot = entry >> 1;
          const isPending = slot >= returnedCount;
          const bit = isPending ? pendingBase + slot - returnedCount : slot;
          const twin = isPending ? pendingTwin[slot]! : NONE;
          if (twin === NONE || (words[(pendingBase + twin - returnedCount) >>> 5]! & (1 << ((pendingBase + twin - returnedCount) & 31))) !== 0) {
            const nextState = stepOf(state, inputs[slot]!, outputs[slot]);
            if (nextState !== undefined) {
              const nextStateId = states.idOf(nextState);
              if (nextStateId < 0) {
                status = "out-of-memory";
                break;
              }
              if (!isPending || nextStateId !== stateId) {
                words[bit >>> 5]! |= 1 << (bit & 31);
                const nextHash = isPending ? hash : hash ^ mixIndex(bit);
                const nextLow = slot === low ? nextUnset(words, slot + 1, returnedCount) : low;
                const nextHighReturned = !isPending && slot > highReturned ? slot : highReturned;
                const nextHighPending = isPending && bit > highPending ? bit : highPending;
                const returnedFrom = nextHighReturned > nextLow ? nextLow >>> 5 : 0;
                const returnedTo = nextHighReturned > nextLow ? (nextHighReturned >>> 5) + 1 : 0;
                const pendingTo = nextHighPending >= 0 ? (nextHighPending >>> 5) + 1 : pendingWordFrom;
                const entryWords = returnedTo - returnedFrom + pendingTo - pendingWordFrom;
                const answer =
                  entryWords > MEMO_ENTRY_WORDS_MAX ? CACHE_ADDED : cache.add(mixKey(nextHash, nextStateId), nextStateId, nextLow, words, returnedFrom, returnedTo, pendingWordFrom, pendingTo);
                if (answer === CACHE_ADDED) {
                  frameEntry[depth] = entry;
                  frameState[depth] = state;
                  frameStateId[depth] = stateId;
                  frameHash[depth] = hash;
                  frameLow[depth] = low;
                  frameHighReturned[depth] = highReturned;
                  frameHighPending[depth] = highPending;
                  frameBlockMs[depth] = blockMs;
                  depth++;
                  state = nextState;
                  stateId = nextStateId;
                  hash = nextHash;
                  low = nextLow;
                  highReturned = nextHighReturned;
                  highPending = nextHighPending;
                  // Lift the call (and a returned operation's return) out of its list.
                  next[previous[entry]!] = next[entry]!;
                  if (next[entry] !== NONE) previous[next[entry]!] = previous[entry]!;
                  if (!isPending) {
                    linearizedReturned++;
                    const match = entry + 1;
                    next[previous[match]!] = next[match]!;
                    if (next[match] !== NONE) previous[next[match]!] = previous[match]!;
                  }
                  inPending = false;
                  entry = next[head]!;
                  continue;
                }
                words[bit >>> 5]! &= ~(1 << (bit & 31));
                if (answer !== CACHE_PRESENT) {
                  status = "out-of-memory";
                  break;
                }
              }
            }
          }
          entry = next[entry]!;
          continue;
        }
        // Every candidate of this configuration is tried: undo the last choice and try the next one.
        if (depth === 0) {
          status = "not-linearizable";
          break;
        }
        depth--;
        entry = frameEntry[depth]!;
        const slot = entry >> 1;
        const isPending = slot >= returnedCount;
        const bit = isPending ? pendingBase + slot - returnedCount : slot;
        words[bit >>> 5]! &= ~(1 << (bit & 31));
        state = frameState[depth]!;
        frameState[depth] = undefined;
        stateId = frameStateId[depth]!;
        hash = frameHash[depth]!;
        low = frameLow[depth]!;
        highReturned = frameHighReturned[depth]!;
        highPending = frameHighPending[depth]!;
        blockMs = frameBlockMs[depth]!;
        inPending = isPending;
        // Put the call (and return) back, in reverse order of the lift.
        if (!isPending) {
          linearizedReturned--;
          const match = entry + 1;
          next[previous[match]!] = match;
          if (next[match] !== NONE) previous[next[match]!] = match;
        }
        next[previous[entry]!] = entry;
        if (next[entry] !== NONE) previous[next[entry]!] = entry;
        entry = next[entry]!;
      }
    } catch (error) {
      throw this.modelFailure(error, entry);
    }
    Object.assign(this, { entry, inPending, blockMs, depth, state, stateId, hash, low, highReturned, highPending, linearizedReturned });
    this.steps += steps;
    this.status = status;
    return status;
  }

  /** Gives the memo's bytes back to the budget. */
  release(): void {
    this.cache.release();
    this.states.release();
  }

  private callModel<Value>(call: () => Value, what: string): Value {
    try {
      return call();
    } catch (error) {
      throw new ModelError(`model '${this.model.name}': ${what} threw: ${messageOf(error)}`);
    }
  }

  private modelFailure(error: unknown, entry: number): ModelError {
    const operation = this.operations[this.operationOfSlot[entry >> 1]!];
    const where = operation === undefined ? "" : ` on ${describeSafely(this.model, operation)}`;
    return new ModelError(`model '${this.model.name}' threw${where}: ${messageOf(error)}`);
  }
}

function assertTimes(operation: Operation<unknown, unknown>, index: number): void {
  const { callMs, returnMs } = operation;
  if (!Number.isFinite(callMs)) throw new RangeError(`operation ${index}: callMs must be a finite number (got ${callMs})`);
  if (returnMs === undefined) return;
  if (!Number.isFinite(returnMs)) throw new RangeError(`operation ${index}: returnMs must be a finite number or undefined (got ${returnMs})`);
  if (returnMs < callMs) throw new RangeError(`operation ${index}: returns at ${returnMs}, before its call at ${callMs}`);
}

/** For each pending slot, the previous pending slot with an equal (JSON) input, or NONE. */
function pendingTwins(inputs: readonly unknown[], returnedCount: number): Int32Array {
  const twins = new Int32Array(inputs.length).fill(NONE);
  const lastByKey = new Map<string, number>();
  for (let slot = returnedCount; slot < inputs.length; slot++) {
    const key = jsonKey(inputs[slot]);
    if (key === undefined) continue;
    twins[slot] = lastByKey.get(key) ?? NONE;
    lastByKey.set(key, slot);
  }
  return twins;
}

/** Canonical JSON of a plain JSON value (sorted keys); undefined for anything else, which then has no twin. */
function jsonKey(value: unknown): string | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : undefined;
  if (Array.isArray(value)) {
    const items = value.map(jsonKey);
    return items.includes(undefined) ? undefined : `[${items.join(",")}]`;
  }
  if (typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const fields: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const field = (value as Record<string, unknown>)[key];
    if (field === undefined) continue;
    const item = jsonKey(field);
    if (item === undefined) return undefined;
    fields.push(`${JSON.stringify(key)}:${item}`);
  }
  return `{${fields.join(",")}}`;
}

/** The first bit at or after `from` that is not set, or `limit` if every one before `limit` is. */
function nextUnset(words: Uint32Array, from: number, limit: number): number {
  if (from >= limit) return limit;
  let word = from >>> 5;
  let zeros = ~words[word]! & (-1 << (from & 31));
  while (zeros === 0) {
    word++;
    if (word << 5 >= limit) return limit;
    zeros = ~words[word]!;
  }
  const position = (word << 5) + 31 - Math.clz32(zeros & -zeros);
  return position < limit ? position : limit;
}

/** A well-mixed 32-bit value per bit position: the Zobrist hash of a set is the XOR of its members' (returned operations only; see configurationCache.ts). */
function mixIndex(index: number): number {
  let value = Math.imul(index + 0x9e3779b9, 0x85ebca6b);
  value ^= value >>> 13;
  value = Math.imul(value, 0xc2b2ae35);
  return value ^ (value >>> 16);
}

function mixKey(setHash: number, stateId: number): number {
  let value = setHash ^ Math.imul(stateId + 1, 0x9e3779b1);
  value ^= value >>> 15;
  value = Math.imul(value, 0x2c1b3c6d);
  return value ^ (value >>> 12);
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
}

function describeSafely<State, Input, Output>(model: Model<State, Input, Output>, operation: Operation<Input, Output>): string {
  try {
    return model.describe(operation);
  } catch {
    return `operation called at ${operation.callMs}`;
  }
}
