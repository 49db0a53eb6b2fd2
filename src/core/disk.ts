// A node's durable store, as a handler sees it through its context. The simulated disk that
// implements it (page cache, fsync, crashes that lose or tear unsynced writes) is in world/disk.ts.

export interface Disk {
  /** The file's content as the node sees it (durable plus unsynced writes), or undefined. */
  read(file: string): string | undefined;
  /** Replaces the file's content (unsynced until fsync). */
  write(file: string, content: string): void;
  /** Appends to the file (unsynced until fsync). */
  append(file: string, data: string): void;
  /** Makes every earlier write to the file durable. */
  fsync(file: string): void;
  /**
   * Replaces the file's content atomically and durably, as writing a temporary file, fsyncing it and
   * renaming it over this one would: a crash leaves the old content or the new, never a mix of them.
   * What a whole-file state record needs, now that a crash may fall between a write and its fsync.
   */
  replace(file: string, content: string): void;
  /** The names of the files that exist, sorted. */
  files(): string[];
}
