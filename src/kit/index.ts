// The scenario kit: building blocks that scenarios would otherwise write (and get wrong) by hand.
// Imported by the built-in scenarios and by users' scenario files, beside the public interface.

export { RETRY_TIMER, recordAcknowledgement, reliableSender, resendUnacknowledged, retryFired, sendToAll, type Outbox, type ReliableSender } from "./reliable.ts";
export { cutTornTail } from "./tornTail.ts";
