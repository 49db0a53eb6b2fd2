// The physical trace: every event the scheduler carried out, as a discriminated union.
// Each record carries the virtual time and the node it happened on (or "*" for the network).

import type { Json, NodeId } from "./json.ts";

export type DropReason = "fault" | "partition" | "down";

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
  | { readonly kind: "write"; readonly timeMs: number; readonly node: NodeId; readonly file: string; readonly mode: "write" | "append"; readonly bytes: number }
  | { readonly kind: "fsync"; readonly timeMs: number; readonly node: NodeId; readonly file: string }
  | { readonly kind: "torn"; readonly timeMs: number; readonly node: NodeId; readonly file: string; readonly keptBytes: number; readonly lostBytes: number }
  | { readonly kind: "note"; readonly timeMs: number; readonly node: NodeId; readonly label: string; readonly value: Json }
  | { readonly kind: "error"; readonly timeMs: number; readonly node: NodeId; readonly message: string };

export type TraceKind = TraceEvent["kind"];
