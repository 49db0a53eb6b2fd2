// The disk model: a node's durable store of named files. Writes land in a page cache that reads
// see at once; fsync makes a file's cache durable. A crash keeps exactly the durable bytes, except
// that a torn write may leave a prefix of the unsynced bytes on top of them.
//
// Beside the handler's operations, the primitives the storage faults (storage.ts) are made of: a
// bit flipped in the durable bytes, an append landed over an earlier one. The disk decides nothing; the world asks the chooser and calls these.

import type { Disk } from "../core/disk.ts";
import type { WriteMode } from "../core/events.ts";

interface FileState {
  durable: string | undefined;
  cached: string | undefined;
  /** Where each append since the file was last replaced (or the node last crashed) began. */
  appendOffsets: number[];
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
    const state = this.stateOf(file);
    state.appendOffsets = [];
    state.cached = content;
    this.observer.written(file, "write", content.length);
  }

  append(file: string, data: string): void {
    this.appendAt(file, data, undefined);
  }

  /** A write and its fsync as one atomic step (temporary file, fsync, rename): recorded as both. */
  replace(file: string, content: string): void {
    checkFileArgument(file, content);
    const state = this.stateOf(file);
    state.appendOffsets = [];
    state.cached = content;
    state.durable = content;
    this.observer.written(file, "replace", content.length);
    this.observer.synced(file);
  }

  /**
   * An append that lands at `offset` (over the bytes there) instead of at the end: a misdirected
   * write. The file still grows by the data's length, as its size says it should, and the place
   * the data was meant for holds zero bytes. Returns where it was meant to land.
   */
  appendAt(file: string, data: string, offset: number | undefined): number {
    checkFileArgument(file, data);
    const state = this.stateOf(file);
    const before = state.cached ?? "";
    state.appendOffsets.push(before.length);
    if (offset === undefined) state.cached = before + data;
    else {
      const landed = before.slice(0, offset) + data + before.slice(offset + data.length);
      state.cached = landed.padEnd(before.length + data.length, "\0");
    }
    this.observer.written(file, "append", data.length);
    return before.length;
  }

  /** Where the appends since the file was last replaced (or the node crashed) began: where a misdirected one may land. */
  appendOffsetsOf(file: string): readonly number[] {
    return this.fileStates.get(file)?.appendOffsets ?? [];
  }

  /** Durable bytes of the file (0 when it has none): where a bit may flip. */
  durableLength(file: string): number {
    return this.fileStates.get(file)?.durable?.length ?? 0;
  }

  /**
   * Flips bit `bit` (0..7) of the durable character at `offset`. The page cache holds the medium's
   * bytes where the node has not written over them, so it sees the flip there too: a later fsync
   * keeps it, a read shows it.
   */
  flipBit(file: string, offset: number, bit: number): void {
    const state = this.fileStates.get(file)!;
    const durable = state.durable!;
    const flip = (text: string) => text.slice(0, offset) + String.fromCharCode(text.charCodeAt(offset) ^ (1 << bit)) + text.slice(offset + 1);
    if (state.cached !== undefined && offset < commonPrefixLength(durable, state.cached)) state.cached = flip(state.cached);
    state.durable = flip(durable);
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
      state.appendOffsets = [];
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
      state = { durable: undefined, cached: undefined, appendOffsets: [] };
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
