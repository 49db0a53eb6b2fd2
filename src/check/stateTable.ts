// Model states as small integers for the search's memo: each distinct state key (the model's
// stateKey, by default the state itself when it is a primitive, else its canonical JSON) gets an
// id once; equal keys give equal ids, so comparing two configurations' states is comparing ints.
// The table counts an estimate of its bytes against the check's memory budget.

import type { MemoryBudget } from "./configurationCache.ts";
import { canonicalJson } from "../core/hash.ts";
import type { Json } from "../core/json.ts";

const ENTRY_BYTES = 80;

export class StateTable<State> {
  private readonly ids = new Map<unknown, number>();
  private reservedBytes = 0;

  constructor(
    private readonly budget: MemoryBudget,
    private readonly keyOf: (state: State) => unknown,
  ) {}

  /** The state's id, or -1 when a new state does not fit the memory budget. */
  idOf(state: State): number {
    const key = this.keyOf(state);
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const bytes = ENTRY_BYTES + (typeof key === "string" ? key.length * 2 : 0);
    if (!this.budget.reserve(bytes)) return -1;
    this.reservedBytes += bytes;
    const id = this.ids.size;
    this.ids.set(key, id);
    return id;
  }

  release(): void {
    this.budget.release(this.reservedBytes);
    this.reservedBytes = 0;
    this.ids.clear();
  }
}

/** The default state key: a primitive state is its own key (Map keys compare primitives by value); any other is keyed by its canonical JSON. */
export function defaultStateKey(state: unknown): unknown {
  return state === null || typeof state !== "object" ? state : canonicalJson(state as Json);
}
