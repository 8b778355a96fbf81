// When a chunk forwarded through a proxy is delivered: pure arithmetic over a
// FlowFault. Bandwidth serialises chunks (each waits for the previous one to
// be "on the wire"), delay and jitter are added on top, and delivery order is
// always the order chunks arrived in (TCP is a stream).
import type { FlowFault } from './types.ts';

export interface FlowState {
  /** When the last chunk finished transmitting (bandwidth). */
  lastTxEndMs: number;
  /** When the last chunk is due to be delivered. */
  lastDeliveryMs: number;
}

export const IDLE_FLOW: FlowState = { lastTxEndMs: 0, lastDeliveryMs: 0 };

export function checkFlowFault(f: FlowFault): void {
  if (!(f.delayMs >= 0 && f.jitterMs >= 0 && f.bytesPerSecond >= 0)) {
    throw new RangeError(`flow fault values must be >= 0: ${JSON.stringify(f)}`);
  }
}

/** Delivery time of a chunk of `sizeBytes` arriving at `nowMs`; `random` in [0, 1). */
export function scheduleChunk(state: FlowState, nowMs: number, sizeBytes: number, fault: FlowFault, random: number): { deliverAtMs: number; next: FlowState } {
  const txStartMs = Math.max(nowMs, state.lastTxEndMs);
  const txMs = fault.bytesPerSecond > 0 ? (sizeBytes * 1000) / fault.bytesPerSecond : 0;
  const txEndMs = txStartMs + txMs;
  const jitterMs = fault.jitterMs * (2 * random - 1);
  const latencyMs = Math.max(0, fault.delayMs + jitterMs);
  const deliverAtMs = Math.max(txEndMs + latencyMs, state.lastDeliveryMs);
  return { deliverAtMs, next: { lastTxEndMs: txEndMs, lastDeliveryMs: deliverAtMs } };
}
