// The logical input of the consensus scenario: clients c1, c2, ..., each the only writer of its
// own key (a, b, ...), each with a fixed list of operations (put, append, read its own key, read
// another client's key) and the think time before each, drawn from the workload stream. The shape
// (how many clients, operations, how long they think) is an option, so benches can draw long
// histories from the same scenario.

import type { Random } from "../../src/index.ts";
import type { ClientOperation } from "./client.ts";

export type ConsensusWorkload = {
  readonly clients: { readonly [client: string]: { readonly key: string; readonly operations: readonly ClientOperation[] } };
};

export interface WorkloadShape {
  readonly clientCount: number;
  readonly operationsPerClient: number;
  readonly thinkMinMs: number;
  readonly thinkMaxMs: number;
}

export const DEFAULT_WORKLOAD_SHAPE: WorkloadShape = { clientCount: 2, operationsPerClient: 8, thinkMinMs: 20, thinkMaxMs: 120 };

export function drawWorkload(random: Random, shape: WorkloadShape = DEFAULT_WORKLOAD_SHAPE): ConsensusWorkload {
  const clients: Record<string, ConsensusWorkload["clients"][string]> = {};
  const keyOf = (clientIndex: number) => String.fromCharCode(97 + clientIndex);
  for (let clientIndex = 0; clientIndex < shape.clientCount; clientIndex++) {
    const client = `c${clientIndex + 1}`;
    const key = keyOf(clientIndex);
    const operations: ClientOperation[] = [];
    for (let index = 0; index < shape.operationsPerClient; index++) {
      const thinkMs = random.between(shape.thinkMinMs, shape.thinkMaxMs);
      const roll = index === 0 ? 0 : random.next();
      if (roll < 0.15) operations.push({ op: "put", key, value: `${client}.${index}`, thinkMs });
      else if (roll < 0.6) operations.push({ op: "append", key, value: `+${index}`, thinkMs });
      else if (roll < 0.8 || shape.clientCount === 1) operations.push({ op: "get", key, thinkMs });
      else operations.push({ op: "get", key: keyOf((clientIndex + 1 + random.below(shape.clientCount - 1)) % shape.clientCount), thinkMs });
    }
    clients[client] = { key, operations };
  }
  return { clients };
}
