// The disk model: a node's durable store of named files. Writes land in a page cache that reads
// see at once; fsync makes a file's cache durable. A crash keeps exactly the durable bytes, except
// that a torn write may leave a prefix of the unsynced bytes on top of them.

import type { Disk } from "../core/disk.ts";
import type { WriteMode } from "../core/events.ts";

interface FileState {
  durable: string | undefined;
  cached: string | undefined;
}

export interface DiskObserver {
  written(file: string, mode: WriteMode, bytes: number): void;
  synced(file: string): void;
}

export interface TornWrite {
  readonly file: string;
  readonly keptBytes: number;
  readonly lostBytes: number;
}

export class SimulatedDisk implements Disk {
  private readonly fileStates = new Map<string, FileState>();

  constructor(private readonly observer: DiskObserver) {}

  read(file: string): string | undefined {
    return this.fileStates.get(file)?.cached;
  }

  write(file: string, content: string): void {
    checkFileArgument(file, content);
    this.stateOf(file).cached = content;
    this.observer.written(file, "write", content.length);
  }

  append(file: string, data: string): void {
    checkFileArgument(file, data);
    const state = this.stateOf(file);
    state.cached = (state.cached ?? "") + data;
    this.observer.written(file, "append", data.length);
  }

  /** A write and its fsync as one atomic step (temporary file, fsync, rename): recorded as both. */
  replace(file: string, content: string): void {
    checkFileArgument(file, content);
    const state = this.stateOf(file);
    state.cached = content;
    state.durable = content;
    this.observer.written(file, "replace", content.length);
    this.observer.synced(file);
  }

  fsync(file: string): void {
    const state = this.fileStates.get(file);
    if (state !== undefined) state.durable = state.cached;
    this.observer.synced(file);
  }

  files(): string[] {
    const names: string[] = [];
    for (const [name, state] of this.fileStates) if (state.cached !== undefined) names.push(name);
    return names.sort();
  }

  /** True when some file has writes that were not fsynced. */
  hasUnsynced(): boolean {
    for (const state of this.fileStates.values()) if (state.cached !== state.durable) return true;
    return false;
  }

  /**
   * Loses every unsynced write. For each file with unsynced bytes, `tearAt(limit)` may return a
   * cut in [0, limit): that many bytes past the common prefix of the durable and cached content
   * survive, over the durable content. It returns undefined to lose the unsynced bytes whole.
   */
  crash(tearAt: (file: string, limit: number) => number | undefined): TornWrite[] {
    const torn: TornWrite[] = [];
    for (const file of [...this.fileStates.keys()].sort()) {
      const state = this.fileStates.get(file)!;
      if (state.cached !== state.durable && state.cached !== undefined) {
        const durable = state.durable ?? "";
        const common = commonPrefixLength(durable, state.cached);
        const unsynced = state.cached.length - common;
        const cut = unsynced > 0 ? tearAt(file, unsynced) : undefined;
        if (cut !== undefined && cut > 0) {
          const end = common + cut;
          state.durable = state.cached.slice(0, end) + durable.slice(end);
          torn.push({ file, keptBytes: cut, lostBytes: unsynced - cut });
        }
      }
      state.cached = state.durable;
    }
    return torn;
  }

  /** Durable content of every file, for snapshots and hashing. */
  durableFiles(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const file of [...this.fileStates.keys()].sort()) {
      const durable = this.fileStates.get(file)!.durable;
      if (durable !== undefined) out[file] = durable;
    }
    return out;
  }

  private stateOf(file: string): FileState {
    let state = this.fileStates.get(file);
    if (state === undefined) {
      state = { durable: undefined, cached: undefined };
      this.fileStates.set(file, state);
    }
    return state;
  }
}

function checkFileArgument(file: string, content: string): void {
  if (typeof file !== "string" || file.length === 0) throw new TypeError("disk: a file name must be a non-empty string");
  if (typeof content !== "string") throw new TypeError(`disk: content written to '${file}' must be a string`);
}

function commonPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let index = 0;
  while (index < limit && a.charCodeAt(index) === b.charCodeAt(index)) index++;
  return index;
}
