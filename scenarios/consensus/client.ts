// A client of the replicated store, driven by the scenario kit's client driver: it runs its
// operations one at a time, each as a command tagged with its client id and a sequence number
// (the call's index + 1: its idempotency key, the same in every retry), and retries until it has
// an answer: on a redirect it goes to the named leader, on a timeout to the next replica. Its
// progress is the driver's record log, so a crashed client resumes the operation it had in
// flight, with the same sequence number, and its calls and returns are noted once each.

import { type Json, type NodeId } from "../../src/index.ts";
import { clientNode as kitClientNode } from "../../src/kit/index.ts";
import type { ClientMessage } from "./messages.ts";
import type { Command } from "./storage.ts";

export type ClientOperation =
  | { readonly op: "get"; readonly key: string; readonly thinkMs: number }
  | { readonly op: "put" | "append"; readonly key: string; readonly value: string; readonly thinkMs: number };

export const CLIENT_TIMING = { retryMs: 120 } as const;

/** The command a call sends: the operation without its think time, with the client's session. */
export function commandOf(client: string, index: number, operation: ClientOperation): Command {
  const { thinkMs: _thinkMs, ...input } = operation;
  return { client, seq: index + 1, ...input };
}

export function clientNode(replicas: readonly NodeId[], operations: readonly ClientOperation[]) {
  return kitClientNode<ClientOperation, Json>({
    operations,
    servers: replicas,
    retryMs: CLIENT_TIMING.retryMs,
    thinkMs: (_ctx, index) => operations[index]!.thinkMs,
    request: (call) => ({ type: "request", command: commandOf(call.client, call.index, call.operation) }),
    reply: (_ctx, raw) => {
      const message = raw as ClientMessage;
      return message.type === "redirect" ? { index: message.seq - 1, redirect: message.leader } : { index: message.seq - 1, output: message.result };
    },
  });
}
