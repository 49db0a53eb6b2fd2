// A file of lines appended and fsynced one record at a time, after a crash: a last line without its
// newline was appended but its fsync never came (the crash fell between them), so nobody was told
// of it. Reading can skip it; appending after it would glue the next record onto it ("prep" +
// "abort" = "prepabort"). So recovery cuts it off before anything is appended.

import type { Disk } from "../core/disk.ts";

/** Cuts a torn last line (one without its newline) off the file, atomically. Call it at recovery, before appending. */
export function cutTornTail(disk: Disk, file: string): void {
  const text = disk.read(file);
  if (text === undefined) return;
  const end = text.lastIndexOf("\n") + 1;
  if (end < text.length) disk.replace(file, text.slice(0, end));
}
