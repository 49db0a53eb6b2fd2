// The scenario kit: building blocks that scenarios would otherwise write (and get wrong) by hand.
// Imported by the built-in scenarios and by users' scenario files (`import … from "dsim/kit"`),
// beside the public interface. See docs/writing-scenarios.md for examples of each.

export { RETRY_TIMER, recordAcknowledgement, reliableSender, resendUnacknowledged, retryFired, sendToAll, type Outbox, type ReliableSender } from "./reliable.ts";
export { appendRecords, decodeRecords, encodeRecord, recoverRecords, type AppendOptions, type DecodedRecords, type RecoveredRecords } from "./recordLog.ts";
export { armedTimers, defineTimers, type ArmedTimers, type FiredTimer, type TimerHandlers, type TimerKinds, type Timers } from "./timers.ts";
export {
  CALL_NOTE, CLIENT_LOG_FILE, clientDone, clientHistory, clientNode, RETURN_NOTE,
  type Call, type CallNote, type ClientReply, type ClientSpec, type ClientState, type ReturnNote,
} from "./client.ts";
export { cutTornTail } from "./tornTail.ts";
export {
  TRANSACTION_LOG_FILE, TRANSACTION_NOTE, transactionClient, transactionHistory, transactionId, transactionsDone,
  type ReadValues, type TransactionClientSpec, type TransactionClientState, type TransactionReply, type TransactionRequest, type WriteValues,
} from "./transactionClient.ts";
