// The physical hash: folds each trace event into a running digest as it is recorded, field by
// field, so hashing a trace costs no serialization. Same events, same hash, in any process.

import type { TraceEvent, TraceKind } from "../core/events.ts";
import { Hasher } from "../core/hash.ts";

const KIND_CODES: Record<TraceKind, number> = {
  start: 1, send: 2, duplicate: 3, drop: 4, deliver: 5, timer: 6, crash: 7, restart: 8,
  partition: 9, heal: 10, skew: 11, write: 12, fsync: 13, torn: 14, note: 15, error: 16,
  "crash-point": 17, corrupt: 18, "lost-fsync": 19, misdirect: 20,
};

export class PhysicalHasher {
  private readonly hasher = new Hasher();

  add(event: TraceEvent): void {
    const hasher = this.hasher;
    hasher.integer(KIND_CODES[event.kind]).number(event.timeMs).string(event.node);
    switch (event.kind) {
      case "send":
        hasher.string(event.to).integer(event.messageId).value(event.message);
        return;
      case "duplicate":
        hasher.string(event.to).integer(event.messageId);
        return;
      case "drop":
        hasher.string(event.from).integer(event.messageId).string(event.reason);
        return;
      case "deliver":
        hasher.string(event.from).integer(event.messageId);
        return;
      case "timer":
        hasher.string(event.name).integer(event.timerId);
        return;
      case "partition":
        for (const group of event.groups) hasher.integer(group.length).value(group);
        return;
      case "skew":
        hasher.number(event.skewMs);
        return;
      case "write":
        hasher.string(event.file).string(event.mode).integer(event.bytes);
        return;
      case "fsync":
        hasher.string(event.file);
        return;
      case "torn":
        hasher.string(event.file).integer(event.keptBytes).integer(event.lostBytes);
        return;
      case "crash-point":
        hasher.integer(event.invocation).integer(event.effect).string(event.before).string(event.target);
        return;
      case "corrupt":
        hasher.string(event.file).integer(event.offset).integer(event.bit);
        return;
      case "lost-fsync":
        hasher.integer(event.invocation).integer(event.effect).string(event.file);
        return;
      case "misdirect":
        hasher.integer(event.invocation).integer(event.effect).string(event.file).integer(event.offset).integer(event.intendedOffset).integer(event.bytes);
        return;
      case "note":
        hasher.string(event.label).value(event.value);
        return;
      case "error":
        hasher.string(event.message);
        return;
      case "start": case "crash": case "restart": case "heal":
        return;
    }
  }

  digest(): string {
    return this.hasher.digest();
  }
}
