// The logical input of the consensus scenario: two clients, each the only writer of its own key,
// each with a fixed list of operations (put, append, read its key, read the other's key) and the
// think time before each, drawn from the workload stream.

import type { Random } from "../../src/index.ts";
import type { ClientOperation } from "./client.ts";

export type ConsensusWorkload = {
  readonly clients: { readonly [client: string]: { readonly key: string; readonly operations: readonly ClientOperation[] } };
};

const OPERATIONS_PER_CLIENT = 8;
const THINK_MIN_MS = 20;
const THINK_MAX_MS = 120;
const CLIENT_KEYS: readonly (readonly [string, string])[] = [["c1", "a"], ["c2", "b"]];

export function drawWorkload(random: Random): ConsensusWorkload {
  const clients: Record<string, ConsensusWorkload["clients"][string]> = {};
  for (const [client, key] of CLIENT_KEYS) {
    const otherKey = CLIENT_KEYS.find(([other]) => other !== client)![1];
    const operations: ClientOperation[] = [];
    for (let index = 0; index < OPERATIONS_PER_CLIENT; index++) {
      const thinkMs = random.between(THINK_MIN_MS, THINK_MAX_MS);
      const roll = index === 0 ? 0 : random.next();
      if (roll < 0.15) operations.push({ op: "put", key, value: `${client}.${index}`, thinkMs });
      else if (roll < 0.6) operations.push({ op: "append", key, value: `+${index}`, thinkMs });
      else if (roll < 0.8) operations.push({ op: "get", key, thinkMs });
      else operations.push({ op: "get", key: otherKey, thinkMs });
    }
    clients[client] = { key, operations };
  }
  return { clients };
}
