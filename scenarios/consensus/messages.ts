// The messages of the consensus scenario: Raft's two RPCs and their replies (Figure 2), and the
// client protocol (a request, its reply, or a redirect to the leader the node believes in).

import type { Json } from "../../src/index.ts";
import type { Command, Entry } from "./storage.ts";

export type RaftMessage =
  | { readonly type: "vote"; readonly term: number; readonly lastIndex: number; readonly lastTerm: number }
  | { readonly type: "voteReply"; readonly term: number; readonly granted: boolean }
  | { readonly type: "append"; readonly term: number; readonly prevIndex: number; readonly prevTerm: number; readonly entries: readonly Entry[]; readonly commit: number }
  /** On success, matchIndex is the last index known to match; on failure, a hint: the follower's log reaches at most this far. */
  | { readonly type: "appendReply"; readonly term: number; readonly success: boolean; readonly matchIndex: number }
  | { readonly type: "request"; readonly command: Command };

export type ClientMessage =
  | { readonly type: "reply"; readonly seq: number; readonly result: Json }
  | { readonly type: "redirect"; readonly seq: number; readonly leader: string | null };
