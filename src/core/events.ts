// The physical trace: every event the scheduler carried out, as a discriminated union.
// Each record carries the virtual time and the node it happened on (or "*" for the network).

import type { Json, NodeId } from "./json.ts";

export type DropReason = "fault" | "partition" | "down";

/** How a write changed a file: replaced its content, added to its end, or replaced it atomically and durably. */
export type WriteMode = "write" | "append" | "replace";

/** What a handler does to the world that a crash point may come just before. */
export type EffectKind = "send" | "write" | "append" | "fsync" | "replace";

export type TraceEvent =
  | { readonly kind: "start"; readonly timeMs: number; readonly node: NodeId }
  | { readonly kind: "send"; readonly timeMs: number; readonly node: NodeId; readonly to: NodeId; readonly messageId: number; readonly message: Json }
  | { readonly kind: "duplicate"; readonly timeMs: number; readonly node: NodeId; readonly to: NodeId; readonly messageId: number }
  | { readonly kind: "drop"; readonly timeMs: number; readonly node: NodeId; readonly from: NodeId; readonly messageId: number; readonly reason: DropReason }
  | { readonly kind: "deliver"; readonly timeMs: number; readonly node: NodeId; readonly from: NodeId; readonly messageId: number; readonly message: Json }
  | { readonly kind: "timer"; readonly timeMs: number; readonly node: NodeId; readonly name: string; readonly timerId: number }
  | { readonly kind: "crash"; readonly timeMs: number; readonly node: NodeId }
  | { readonly kind: "restart"; readonly timeMs: number; readonly node: NodeId }
  | { readonly kind: "partition"; readonly timeMs: number; readonly node: "*"; readonly groups: readonly (readonly NodeId[])[] }
  | { readonly kind: "heal"; readonly timeMs: number; readonly node: "*" }
  | { readonly kind: "skew"; readonly timeMs: number; readonly node: NodeId; readonly skewMs: number }
  | { readonly kind: "write"; readonly timeMs: number; readonly node: NodeId; readonly file: string; readonly mode: WriteMode; readonly bytes: number }
  | { readonly kind: "fsync"; readonly timeMs: number; readonly node: NodeId; readonly file: string }
  | { readonly kind: "torn"; readonly timeMs: number; readonly node: NodeId; readonly file: string; readonly keptBytes: number; readonly lostBytes: number }
  /** The node crashed just before an effect of a handler (the `effect`-th of its `invocation`-th): `target` is the send's receiver or the file. */
  | { readonly kind: "crash-point"; readonly timeMs: number; readonly node: NodeId; readonly invocation: number; readonly effect: number; readonly before: EffectKind; readonly target: string }
  /** One bit of a file's durable content flipped (bit `bit` of the character at `offset`). */
  | { readonly kind: "corrupt"; readonly timeMs: number; readonly node: NodeId; readonly file: string; readonly offset: number; readonly bit: number }
  /** An fsync that did nothing: the file's unsynced writes stay unsynced. */
  | { readonly kind: "lost-fsync"; readonly timeMs: number; readonly node: NodeId; readonly invocation: number; readonly effect: number; readonly file: string }
  /** An append of `bytes` meant for `intendedOffset` that landed at `offset`, over an earlier append's bytes. */
  | { readonly kind: "misdirect"; readonly timeMs: number; readonly node: NodeId; readonly invocation: number; readonly effect: number; readonly file: string; readonly offset: number; readonly intendedOffset: number; readonly bytes: number }
  | { readonly kind: "note"; readonly timeMs: number; readonly node: NodeId; readonly label: string; readonly value: Json }
  | { readonly kind: "error"; readonly timeMs: number; readonly node: NodeId; readonly message: string };

export type TraceKind = TraceEvent["kind"];
