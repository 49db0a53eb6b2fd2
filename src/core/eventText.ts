// The physical trace as text, one event a line: `--trace` on run and replay, and the failure page.

import type { TraceEvent } from "./events.ts";
import { canonicalJson } from "./hash.ts";

export function describeEvent(event: TraceEvent): string {
  const head = `${String(event.timeMs).padStart(7)} ms  ${event.node.padEnd(10)} ${event.kind.padEnd(9)}`;
  switch (event.kind) {
    case "send":
      return `${head} → ${event.to} #${event.messageId} ${canonicalJson(event.message)}`;
    case "deliver":
      return `${head} ← ${event.from} #${event.messageId} ${canonicalJson(event.message)}`;
    case "duplicate":
      return `${head} → ${event.to} #${event.messageId}`;
    case "drop":
      return `${head} ← ${event.from} #${event.messageId} (${event.reason})`;
    case "timer":
      return `${head} ${event.name}`;
    case "partition":
      return `${head} ${event.groups.map((group) => `{${group.join(", ")}}`).join(" | ")}`;
    case "skew":
      return `${head} ${event.skewMs} ms`;
    case "write":
      return `${head} ${event.mode} ${event.file} (${event.bytes} bytes)`;
    case "fsync":
      return `${head} ${event.file}`;
    case "torn":
      return `${head} ${event.file}: kept ${event.keptBytes} of ${event.keptBytes + event.lostBytes} unsynced bytes`;
    case "crash-point":
      return `${head} just before its ${event.before} ${event.before === "send" ? "to " : ""}${event.target} (effect ${event.invocation}.${event.effect})`;
    case "corrupt":
      return `${head} ${event.file}: bit ${event.bit} of byte ${event.offset} flipped`;
    case "lost-fsync":
      return `${head} ${event.file}: ignored, its writes stay unsynced (effect ${event.invocation}.${event.effect})`;
    case "misdirect":
      return `${head} ${event.file}: ${event.bytes} bytes meant for byte ${event.intendedOffset} landed at byte ${event.offset} (effect ${event.invocation}.${event.effect})`;
    case "note":
      return `${head} ${event.label} ${canonicalJson(event.value)}`;
    case "error":
      return `${head} ${event.message}`;
    case "start": case "crash": case "restart": case "heal":
      return head.trimEnd();
  }
}
