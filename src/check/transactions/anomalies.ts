// The anomalies a transactional history can show, after Adya ("Weak Consistency", 1999) and
// Jepsen's Elle, and which of them each isolation level forbids. Cycle anomalies are named by the
// shape of the cycle that shows them; the others by what one read saw.

import type { IsolationLevel, ScalarValue } from "./history.ts";

export type DependencyKind = "ww" | "wr" | "rw";

/** One edge of the dependency graph: `to` depends on `from` through `key`. */
export interface DependencyEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: DependencyKind;
  readonly key: string;
}

/** Cycle shapes, most severe first. Each cycle has exactly one. */
export type CycleAnomalyName = "G0" | "G1c" | "G-single" | "G-nonadjacent" | "G2-item";

export type ReadAnomalyName = "internal" | "garbage-read" | "G1a" | "G1b";

export type AnomalyName = CycleAnomalyName | ReadAnomalyName | "incompatible-order" | "lost-update";

export type ObservedValue = ScalarValue | readonly ScalarValue[] | null;

export type Anomaly =
  | { readonly name: CycleAnomalyName; readonly summary: string; readonly cycle: readonly DependencyEdge[] }
  | {
      readonly name: ReadAnomalyName;
      readonly summary: string;
      readonly reader: string;
      /** The transaction that wrote what was read; null when nobody did (garbage-read). */
      readonly writer: string | null;
      readonly key: string;
      readonly value: ObservedValue;
    }
  | {
      readonly name: "lost-update";
      readonly summary: string;
      readonly transactions: readonly [string, string];
      readonly key: string;
      /** The version both read: its value, null for the initial version. */
      readonly read: ObservedValue;
    }
  | {
      readonly name: "incompatible-order";
      readonly summary: string;
      readonly key: string;
      /** Two reads that no single order of appends explains, or one read with a repeated element. */
      readonly reads: readonly { readonly transaction: string; readonly value: readonly ScalarValue[] }[];
    };

/** Severity order: the order of a result's anomalies. */
export const ANOMALY_NAMES: readonly AnomalyName[] = [
  "internal", "garbage-read", "incompatible-order", "G0", "G1a", "G1b", "G1c", "lost-update", "G-single", "G-nonadjacent", "G2-item",
];

/** What no level allows: a history that is not one of committed transactions over one order of versions. */
const ALWAYS_FORBIDDEN: readonly AnomalyName[] = ["internal", "garbage-read", "incompatible-order"];

/**
 * The anomalies each level forbids.
 * - read-committed is Adya's PL-2: no G0 (PL-1), no G1a, G1b, G1c.
 * - snapshot is Adya's PL-SI read as Cerone & Gotsman ("Analysing Snapshot Isolation", 2016) and
 *   Fekete et al. (2005) characterize it without start timestamps: every cycle must have two
 *   adjacent rw edges. So G-single (one rw edge; Adya's G-SIb) and G-nonadjacent are forbidden,
 *   and so is lost update (Berenson et al.'s P4, prevented by first-committer-wins); G2-item with
 *   adjacent rw edges (write skew) is allowed.
 * - serializable is Adya's PL-3: no G1 and no G2, so no cycle at all.
 */
export const FORBIDDEN_ANOMALIES: Readonly<Record<IsolationLevel, readonly AnomalyName[]>> = {
  "read-committed": [...ALWAYS_FORBIDDEN, "G0", "G1a", "G1b", "G1c"],
  snapshot: [...ALWAYS_FORBIDDEN, "G0", "G1a", "G1b", "G1c", "lost-update", "G-single", "G-nonadjacent"],
  serializable: [...ALWAYS_FORBIDDEN, "G0", "G1a", "G1b", "G1c", "lost-update", "G-single", "G-nonadjacent", "G2-item"],
};

export const ANOMALY_TITLES: Readonly<Record<AnomalyName, string>> = {
  internal: "internal inconsistency",
  "garbage-read": "garbage read",
  "incompatible-order": "incompatible order",
  G0: "write cycle (G0)",
  G1a: "aborted read (G1a)",
  G1b: "intermediate read (G1b)",
  G1c: "circular information flow (G1c)",
  "lost-update": "lost update",
  "G-single": "single anti-dependency cycle (G-single)",
  "G-nonadjacent": "anti-dependency cycle (G-nonadjacent)",
  "G2-item": "write skew (G2-item)",
};

/** The shape of a cycle given its edges' kinds in order: what it shows. */
export function classifyCycle(kinds: readonly DependencyKind[]): CycleAnomalyName {
  const rwCount = kinds.filter((kind) => kind === "rw").length;
  if (rwCount === 0) return kinds.every((kind) => kind === "ww") ? "G0" : "G1c";
  if (rwCount === 1) return "G-single";
  const adjacent = kinds.some((kind, index) => kind === "rw" && kinds[(index + 1) % kinds.length] === "rw");
  return adjacent ? "G2-item" : "G-nonadjacent";
}

/** `T1 -rw(x)-> T2 -wr(y)-> T1` */
export function describeCycle(cycle: readonly DependencyEdge[]): string {
  return cycle.map((edge) => `${edge.from} -${edge.kind}(${edge.key})-> `).join("") + (cycle[0]?.from ?? "");
}

export function cycleAnomaly(cycle: readonly DependencyEdge[]): Anomaly {
  const name = classifyCycle(cycle.map((edge) => edge.kind));
  return { name, summary: `${ANOMALY_TITLES[name]}: ${describeCycle(cycle)}`, cycle };
}
