// Scenario `idempotency`: "Deduct $50 from account A", retried across time.
//
// Protocol: a client sends a few withdrawals and deposits, one at a time, to an account server
// over the faulty network, and resends each until answered; the server keeps the balance in an
// fsynced ledger and may crash. In the correct variant every request carries a stable operation
// id, and the server stores id → result in the same fsynced record as the balance change, so a
// retry is answered with the stored result instead of being executed again.
//
// Logical trace π: for each operation, how many times it was applied and the (first) result the
// client was given; and the final balance.
// Invariants: exactly-once (each operation applied once, or never if the specification refuses
// it; the message names the operation and its count), balance (final balance expected and seen),
// one-result-per-operation (a retry's reply equals the first execution's result).
//
// Why `keyed` projects every execution onto one logical trace: the client is sequential, so the
// operations reach the server in the workload's order; an operation's effect and its id record
// are one fsynced record, so after any crash either both or neither survived; with neither, the
// retry executes it for the first time, with both, it is answered from the record. Drops,
// duplicates, delays and client crashes produce only retries, and retries are answered from the
// record. So each operation is executed once, against the balance its predecessors left, which is
// exactly the reference's execution. Variants:
//   keyed                  correct                                                   (holds)
//   naive                  no deduplication: a retry executes again (200 → 150 → 100) (diverges)
//   dedup-in-memory        ids kept in volatile memory: a crash forgets them, a retry
//                          then executes again                                       (diverges)
//   dedup-after-apply      balance fsynced at once, id record flushed 20 ms later: a
//                          crash in between makes the retry execute again            (diverges)
//   rejections-unrecorded  only applied operations are recorded: a late retry of a
//                          refused withdrawal, after a deposit, succeeds             (diverges)
//   reply-then-persist     replies, then appends and fsyncs the record, in one
//                          handler: only a crash point between the send and the
//                          fsync loses the answered operation                        (diverges)
// The request carries the operation's index in every variant (the client matches replies with
// it, and the trace names operations by it); only the variants that deduplicate read it so.

import { defineScenario } from "../../src/index.ts";
import { account, type AccountShape } from "./account.ts";
import { invariants, project } from "./checks.ts";
import { client } from "./client.ts";
import { drawWorkload, type Workload } from "./model.ts";

const SHAPES: Record<string, AccountShape> = {
  keyed: { dedupe: "ledger", recordWithBalance: true, recordRejections: true, replyFirst: false },
  naive: { dedupe: "none", recordWithBalance: true, recordRejections: true, replyFirst: false },
  "dedup-in-memory": { dedupe: "memory", recordWithBalance: true, recordRejections: true, replyFirst: false },
  "dedup-after-apply": { dedupe: "ledger", recordWithBalance: false, recordRejections: true, replyFirst: false },
  "rejections-unrecorded": { dedupe: "ledger", recordWithBalance: true, recordRejections: false, replyFirst: false },
  "reply-then-persist": { dedupe: "ledger", recordWithBalance: true, recordRejections: true, replyFirst: true },
};

export default defineScenario<Workload>({
  name: "idempotency",
  description: "A client retries withdrawals and deposits against an account server that may crash.",
  variants: [
    { name: "keyed", expect: "holds", description: "Stable operation ids; id → result fsynced in the balance's own record." },
    { name: "naive", expect: "diverges", description: "No deduplication: a retried withdrawal is deducted again.", seedBudget: 2000 },
    { name: "dedup-in-memory", expect: "diverges", description: "Ids remembered in volatile memory: a crash then a retry applies twice.", seedBudget: 2000 },
    { name: "dedup-after-apply", expect: "diverges", description: "Balance and id record fsynced separately: a crash between them applies twice.", seedBudget: 2000 },
    { name: "rejections-unrecorded", expect: "diverges", description: "Refusals are not recorded: a late retry after a deposit succeeds.", seedBudget: 2000 },
    {
      name: "reply-then-persist",
      expect: "diverges",
      description: "Replies inside the handler before it appends and fsyncs the record: a crash point in between loses an answered operation.",
      seedBudget: 2000,
    },
  ],
  workload: drawWorkload,
  nodes: ({ variant, workload }) => ({ client: client(workload), account: account(SHAPES[variant]!, workload.initialBalance) }),
  project,
  invariants,
});
