// The replicated state machine: a key-value store (get, put, append on strings) with a session
// per client that remembers the last sequence number applied and its result, so that a retried
// command is applied once and answered with the first result.

import type { Command } from "./storage.ts";

export interface Store {
  readonly values: Map<string, string>;
  readonly sessions: Map<string, { readonly seq: number; readonly result: string | null }>;
}

/** Applies a command and returns its result: the value read for get, null otherwise. */
export function applyCommand(store: Store, command: Command, deduplicate: boolean): string | null {
  const session = store.sessions.get(command.client);
  if (deduplicate && session !== undefined && command.seq <= session.seq) return session.seq === command.seq ? session.result : null;
  let result: string | null = null;
  switch (command.op) {
    case "get":
      result = store.values.get(command.key) ?? null;
      break;
    case "put":
      store.values.set(command.key, command.value);
      break;
    case "append":
      store.values.set(command.key, (store.values.get(command.key) ?? "") + command.value);
      break;
  }
  store.sessions.set(command.client, { seq: command.seq, result });
  return result;
}
