// Reliable send, the scenario kit's building block for broadcasting an outbox: every message is
// sent to every peer and resent, on a retry timer, until that peer acknowledges it. Acknowledgements
// are volatile (a restart forgets them and resends everything), so receivers must be idempotent:
// deliver each (sender, sequence number) once, and acknowledge every copy.
//
// State is plain data kept in the node's own state (so the explorer can hash it), and these are
// functions over it, like every other handler step: nothing here holds a reference to the world.

import type { Json, NodeId } from "../core/json.ts";
import type { NodeContext } from "../core/scenario.ts";

/** The timer name the sender arms; dispatch it to `retryFired` in the node's timer handler. */
export const RETRY_TIMER = "retry";

export interface ReliableSender {
  /** peer → the sequence numbers it acknowledged (volatile). */
  readonly acknowledged: Map<NodeId, Set<number>>;
  /** The armed retry timer, if any. */
  retryTimer: number | undefined;
}

export function reliableSender(): ReliableSender {
  return { acknowledged: new Map(), retryTimer: undefined };
}

/** The outbox as the sender sees it: how many messages, and the wire form of message `seq`. */
export interface Outbox {
  readonly count: number;
  messageAt(seq: number): Json;
  /** How long to wait for acknowledgements before sending again. */
  readonly retryMs: number;
}

/** Sends one new message to every peer and arms the retry timer. */
export function sendToAll(sender: ReliableSender, ctx: NodeContext, message: Json, retryMs: number): void {
  for (const peer of ctx.peers) ctx.send(peer, message);
  armRetry(sender, ctx, retryMs);
}

/** Sends each peer every message it has not acknowledged; keeps the retry timer armed while any waits. */
export function resendUnacknowledged(sender: ReliableSender, ctx: NodeContext, outbox: Outbox): void {
  let waiting = false;
  for (const peer of ctx.peers) {
    const acknowledged = sender.acknowledged.get(peer);
    for (let seq = 0; seq < outbox.count; seq++) {
      if (acknowledged?.has(seq)) continue;
      ctx.send(peer, outbox.messageAt(seq));
      waiting = true;
    }
  }
  if (waiting) armRetry(sender, ctx, outbox.retryMs);
}

/** Records that `from` acknowledged message `seq`. */
export function recordAcknowledgement(sender: ReliableSender, from: NodeId, seq: number): void {
  let acknowledged = sender.acknowledged.get(from);
  if (acknowledged === undefined) sender.acknowledged.set(from, (acknowledged = new Set()));
  acknowledged.add(seq);
}

/** The retry timer fired: it is gone; send again what is still unacknowledged. */
export function retryFired(sender: ReliableSender, ctx: NodeContext, outbox: Outbox): void {
  sender.retryTimer = undefined;
  resendUnacknowledged(sender, ctx, outbox);
}

function armRetry(sender: ReliableSender, ctx: NodeContext, retryMs: number): void {
  if (sender.retryTimer === undefined) sender.retryTimer = ctx.setTimer(RETRY_TIMER, retryMs);
}
