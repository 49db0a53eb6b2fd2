// Scenario `wal`: a key-value store that must not forget what it acknowledged.
//
// Protocol: a client writes keys to one store node, one write at a time, resending each until
// acknowledged; the store crashes and restarts during the fault window, with torn writes on. The
// correct store appends a checksummed log record, fsyncs it (group commit), applies the write and
// acknowledges it; pages are written back lazily and a checkpoint (pages fsynced, checkpoint mark,
// log emptied) bounds recovery, which loads the pages and redoes the log past the checkpoint,
// discarding a torn tail by its checksum.
//
// Logical trace π: the acknowledged writes (by index), and the store's final state: the state
// recovered after its last restart plus the writes applied since.
// Invariants: acknowledged-writes-survive (every recovered state, and the final one, holds for each
// key its last acknowledged write or a later one: no acknowledged write lost, no key going back in
// the client's order) and only-written-values (no state holds a value no write put there).
//
// Why `wal` projects every execution onto one logical trace: a write is acknowledged only after
// its record is durable, so every acknowledged write is in the log or, after a checkpoint, in a
// durable page; a page is written only after its record is durable and the log is emptied only
// after the pages are, so redo repairs any torn or stale page; a torn log tail fails its checksum
// and was never acknowledged, and it is cut off before new records follow it. The client resends
// until acknowledged and the store answers any write at or below its last applied index without
// applying it again, so every write is applied once, in order, and the final state is the
// reference's. Each broken variant drops one of those steps:
//   wal               correct                                                       (holds)
//   ack-before-fsync  acknowledges at the request, fsyncs at commit: a crash in between
//                     loses an acknowledged write                                   (diverges)
//   no-checksum       records without checksum, every parsable line replayed: a torn
//                     record ("3 b 12" of "3 b 12345") is replayed as if whole      (diverges)
//   apply-then-log    writes the page before the record is durable: a crash tears the
//                     page, and no durable record is there to redo it               (diverges)
//   tail-checksum-only verifies only each copy's last line: a bit flipped in the
//                     middle of a copy is replayed                                  (diverges)
//   no-slot-check     takes any whole record at any slot: a misdirected append puts a
//                     later record in an earlier one's place                        (diverges)
//   trust-first-copy  reads the mirror only when the first copy has a bad line: a
//                     lost fsync then a crash leaves it whole but short             (diverges)
// The log is mirrored (log.ts), and the scenario declares the storage faults it survives on its
// two copies, as one group of copies: the faults strike one copy, never both.

import { defineScenario } from "../../src/index.ts";
import { invariants, project } from "./checks.ts";
import { client } from "./client.ts";
import { drawWorkload, type Workload } from "./model.ts";
import { SHAPES, store } from "./store.ts";

export default defineScenario<Workload>({
  name: "wal",
  description: "A key-value store with a write-ahead log, crashing with torn writes.",
  variants: [
    { name: "wal", expect: "holds", description: "Checksummed record, fsync, apply, acknowledge; checkpoints bound recovery." },
    { name: "ack-before-fsync", expect: "diverges", description: "Acknowledges before the fsync: a crash loses acknowledged writes.", seedBudget: 2000 },
    { name: "no-checksum", expect: "diverges", description: "No checksum: a torn record is replayed as if whole.", seedBudget: 2000 },
    { name: "apply-then-log", expect: "diverges", description: "Writes the page before its log record is durable.", seedBudget: 2000 },
    { name: "tail-checksum-only", expect: "diverges", description: "Verifies only each copy's last record: a bit flipped mid-log is replayed.", seedBudget: 2000 },
    { name: "no-slot-check", expect: "diverges", description: "Takes any whole record at any place in the log: a misdirected append replays a record in the wrong place.", seedBudget: 2000 },
    { name: "trust-first-copy", expect: "diverges", description: "Reads the mirror only when the first copy has a bad line: a lost fsync shortens it, whole.", seedBudget: 2000 },
  ],
  storageFaults: {
    corruption: ["store:wal.log", "store:wal.mirror"],
    lostFsync: ["store:wal.log", "store:wal.mirror"],
    misdirectedWrite: ["store:wal.log", "store:wal.mirror"],
    copies: [["store:wal.log", "store:wal.mirror"]],
  },
  workload: drawWorkload,
  nodes: ({ variant, workload }) => ({ client: client(workload), store: store(SHAPES[variant]!) }),
  project,
  invariants,
});
