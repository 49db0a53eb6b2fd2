// The scheduler's priority queue: a binary min-heap of events ordered by (timeMs, seq).
// `seq` is the insertion sequence, so events at one virtual time run in the order scheduled.

export interface Scheduled {
  readonly timeMs: number;
  readonly seq: number;
}

export class EventHeap<T extends Scheduled> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    let index = items.length;
    items.push(item);
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = items[parentIndex]!;
      if (!before(item, parent)) break;
      items[index] = parent;
      index = parentIndex;
    }
    items[index] = item;
  }

  /** A copy of the items, in heap order (not sorted): for hashing and inspection, off the hot path. */
  toArray(): T[] {
    return this.items.slice();
  }

  /** Removes one item (by identity); true if it was there. O(size): for exploration, off the hot path. */
  remove(item: T): boolean {
    const index = this.items.indexOf(item);
    if (index < 0) return false;
    const rest = this.items.splice(index, this.items.length - index);
    rest.shift();
    for (const other of rest) this.push(other);
    return true;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    const count = items.length;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= count) break;
      const right = left + 1;
      const child = right < count && before(items[right]!, items[left]!) ? right : left;
      if (!before(items[child]!, last)) break;
      items[index] = items[child]!;
      index = child;
    }
    items[index] = last;
    return top;
  }
}

export function before(a: Scheduled, b: Scheduled): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.seq < b.seq);
}
