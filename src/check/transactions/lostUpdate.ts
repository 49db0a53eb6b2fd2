// Lost update (Berenson et al.'s P4): two committed transactions read the same version of a key
// and both wrote the key. Whichever installed its version second overwrote one it never read.
// Found from reads and writes alone, without a version order, so it holds for registers whose
// writes nobody read, where the dependency graph alone would not show it.

import { ANOMALY_TITLES, type Anomaly } from "./anomalies.ts";
import { describeValue, valueOf, type Transaction, type ValueId } from "./history.ts";
import type { ReadThenWrite } from "./reads.ts";
import type { KeyIndex } from "./writes.ts";

/** The first lost update among `readThenWrites` (in history order), or undefined. */
export function findLostUpdate(readThenWrites: readonly ReadThenWrite[], transactions: readonly Transaction[]): Anomaly | undefined {
  const firstByVersion = new Map<KeyIndex, Map<ValueId, ReadThenWrite>>();
  for (const access of readThenWrites) {
    const version = access.observed[access.observed.length - 1] ?? "";
    let versions = firstByVersion.get(access.key);
    if (versions === undefined) firstByVersion.set(access.key, (versions = new Map()));
    const first = versions.get(version);
    if (first === undefined) {
      versions.set(version, access);
      continue;
    }
    const key = access.key;
    const read = key.kind === "list" ? access.observed.map(valueOf) : version === "" ? null : valueOf(version);
    const writer = version === "" ? undefined : key.writers.get(version);
    const from = writer === undefined ? (version === "" ? " (the initial version)" : "") : ` (written by ${transactions[writer.transaction]!.id})`;
    const [one, other] = [transactions[first.transaction]!.id, transactions[access.transaction]!.id];
    const verb = key.kind === "list" ? "appended to" : "wrote";
    const summary = `${ANOMALY_TITLES["lost-update"]}: ${one} and ${other} both read ${key.name} = ${describeValue(read)}${from} and both ${verb} ${key.name}`;
    return { name: "lost-update", summary, transactions: [one, other], key: key.name, read };
  }
  return undefined;
}
