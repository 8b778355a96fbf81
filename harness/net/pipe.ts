// One direction of a proxied connection: bytes read from `src` are written to
// `dst` at the time flow.ts gives. A blocked flow stops reading (the sender's
// kernel buffers fill, as behind a dropped route) and holds what it has; a
// queue above its bound also stops reading until it drains. On a quorum
// connection's replies, `firstPacketOnly` passes the stream's first packet and
// holds the rest.
import type { Socket } from 'node:net';
import type { ChunkRewriter } from './election-header.ts';
import { IDLE_FLOW, scheduleChunk, type FlowState } from './flow.ts';
import { firstQuorumPacketLength } from './quorum-packet.ts';
import { HEALTHY_FLOW, type FlowFault } from './types.ts';

const QUEUE_LIMIT_BYTES = 1 << 20;
/** A first packet not complete within this many bytes is not waited for: the stream is not stalled. */
const HEAD_LIMIT_BYTES = 1 << 20;

interface Chunk {
  data: Buffer;
  atMs: number;
}

export class Pipe {
  private fault: FlowFault = HEALTHY_FLOW;
  private flow: FlowState = IDLE_FLOW;
  private readonly queue: Chunk[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private srcEnded = false;
  private waitingForDrain = false;
  /** Bytes written to `dst`. */
  private deliveredBytes = 0;
  /** The stream's first bytes, until its first quorum packet is complete (quorum pipes only). */
  private head: Buffer | null;
  /** Where the first quorum packet ends; Infinity when unknown for good (not a packet, or not a quorum pipe). */
  private firstPacketEnd = Infinity;

  constructor(private readonly src: Socket, private readonly dst: Socket, private readonly random: () => number, private readonly rewrite?: ChunkRewriter,
    quorumPackets = false) {
    this.head = quorumPackets ? Buffer.alloc(0) : null;
    src.on('data', (data: Buffer) => this.onData(data));
    src.on('end', () => {
      this.srcEnded = true;
      this.pump();
    });
    dst.on('drain', () => {
      this.waitingForDrain = false;
      this.pump();
    });
  }

  setFault(fault: FlowFault): void {
    this.fault = fault;
    this.pump();
  }

  private onData(raw: Buffer): void {
    const data = this.rewrite === undefined ? raw : this.rewrite(raw);
    if (data.length === 0) return;
    this.measureFirstPacket(data);
    const now = Date.now();
    const { deliverAtMs, next } = scheduleChunk(this.flow, now, data.length, this.fault, this.random());
    this.flow = next;
    this.queue.push({ data, atMs: deliverAtMs });
    this.queuedBytes += data.length;
    this.pump();
  }

  private measureFirstPacket(data: Buffer): void {
    if (this.head === null) return;
    this.head = Buffer.concat([this.head, data]);
    const n = firstQuorumPacketLength(this.head);
    if (n === 'incomplete' && this.head.length < HEAD_LIMIT_BYTES) return;
    this.firstPacketEnd = typeof n === 'number' ? n : Infinity;
    this.head = null;
  }

  /** Bytes that may still reach `dst` under the fault (Infinity: no limit). */
  private allowance(): number {
    return this.fault.firstPacketOnly ? this.firstPacketEnd - this.deliveredBytes : Infinity;
  }

  private get stalled(): boolean {
    return this.fault.blocked || (this.allowance() <= 0 && this.queue.length > 0);
  }

  /** Delivers what is due, then decides whether to keep reading and when to wake. */
  private pump(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    while (!this.stalled && !this.waitingForDrain && this.queue.length > 0 && this.queue[0]!.atMs <= now) {
      const chunk = this.queue[0]!;
      const allowed = this.allowance();
      const data = allowed < chunk.data.length ? chunk.data.subarray(0, allowed) : chunk.data;
      if (data.length === chunk.data.length) this.queue.shift();
      else chunk.data = chunk.data.subarray(data.length);
      this.queuedBytes -= data.length;
      this.deliveredBytes += data.length;
      if (this.dst.destroyed) return;
      if (!this.dst.write(data)) this.waitingForDrain = true;
    }
    const holding = this.stalled || this.waitingForDrain || this.queuedBytes > QUEUE_LIMIT_BYTES;
    if (holding) this.src.pause();
    else if (!this.src.destroyed) this.src.resume();
    if (!this.stalled && !this.waitingForDrain && this.queue.length > 0) {
      this.timer = setTimeout(() => this.pump(), Math.max(0, this.queue[0]!.atMs - now));
    } else if (this.srcEnded && this.queue.length === 0 && !this.fault.blocked) {
      this.dst.end();
    }
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
