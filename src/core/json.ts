// JSON values: what crosses every boundary of dsim (payloads, notes, workloads, logical traces,
// replay files), and the id of a node. The lowest room of the house: it imports nothing.

export type NodeId = string;

/** A JSON-shaped value: messages, notes, states and logical traces are all of this shape. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

export function isJsonRecord(value: unknown): value is { readonly [key: string]: Json } {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
