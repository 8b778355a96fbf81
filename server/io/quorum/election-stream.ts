// Bytes on an election connection (QuorumCnxManager): the initiator's first
// message (protocol version, sid, its election address), then notifications,
// each framed by an int length in 1..PACKETMAXSIZE (512 KiB).
import {
  decodeInitialMessage, encodeInitialMessage, PROTOCOL_VERSION_V1, type InitialMessage,
} from '../../zab/initial-message.ts';
import {
  checkElectionFrameLength, decodeNotification, encodeNotification, frameElectionMessage, type Notification,
} from '../../zab/notification.ts';
import { ByteQueue } from './byte-queue.ts';

export type ElectionMessage =
  | { readonly kind: 'initial'; readonly message: InitialMessage }
  | { readonly kind: 'notification'; readonly notification: Notification };

/** The first message I send on a connection I initiate. */
export function encodeHello(mySid: number, myElectionAddress: string): Uint8Array {
  return encodeInitialMessage({ protocolVersion: PROTOCOL_VERSION_V1, sid: mySid, addresses: [myElectionAddress] });
}

export function encodeNotificationFrame(n: Notification): Uint8Array {
  return frameElectionMessage(encodeNotification(n));
}

export class ElectionDecoder {
  private readonly queue = new ByteQueue();
  private awaitingInitial: boolean;

  /** `accepted`: the remote initiated the connection, so it starts with its initial message. */
  constructor(accepted: boolean) {
    this.awaitingInitial = accepted;
  }

  push(chunk: Uint8Array): void {
    this.queue.push(chunk);
  }

  /** The next complete message, or undefined. Throws WireError on a malformed stream. */
  next(): ElectionMessage | undefined {
    if (this.awaitingInitial) return this.nextInitial();
    if (this.queue.length < 4) return undefined;
    const length = this.queue.int32At(0);
    checkElectionFrameLength(length);
    if (this.queue.length < 4 + length) return undefined;
    const body = this.queue.take(4 + length).subarray(4);
    return { kind: 'notification', notification: decodeNotification(body) };
  }

  private nextInitial(): ElectionMessage | undefined {
    const result = decodeInitialMessage(this.queue.peek(0, Math.min(this.queue.length, 20 + 2048)));
    if (result.kind === 'incomplete') return undefined;
    this.queue.take(result.consumedBytes);
    this.awaitingInitial = false;
    return { kind: 'initial', message: result.message };
  }
}
