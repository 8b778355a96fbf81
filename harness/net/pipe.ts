// One direction of a proxied connection: bytes read from `src` are written to
// `dst` at the time flow.ts gives. A blocked flow stops reading (the sender's
// kernel buffers fill, as behind a dropped route) and holds what it has; a
// queue above its bound also stops reading until it drains.
import type { Socket } from 'node:net';
import type { ChunkRewriter } from './election-header.ts';
import { IDLE_FLOW, scheduleChunk, type FlowState } from './flow.ts';
import { HEALTHY_FLOW, type FlowFault } from './types.ts';

const QUEUE_LIMIT_BYTES = 1 << 20;

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

  constructor(private readonly src: Socket, private readonly dst: Socket, private readonly random: () => number, private readonly rewrite?: ChunkRewriter) {
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
    const now = Date.now();
    const { deliverAtMs, next } = scheduleChunk(this.flow, now, data.length, this.fault, this.random());
    this.flow = next;
    this.queue.push({ data, atMs: deliverAtMs });
    this.queuedBytes += data.length;
    this.pump();
  }

  /** Delivers what is due, then decides whether to keep reading and when to wake. */
  private pump(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    while (!this.fault.blocked && !this.waitingForDrain && this.queue.length > 0 && this.queue[0]!.atMs <= now) {
      const chunk = this.queue.shift()!;
      this.queuedBytes -= chunk.data.length;
      if (this.dst.destroyed) return;
      if (!this.dst.write(chunk.data)) this.waitingForDrain = true;
    }
    const holding = this.fault.blocked || this.waitingForDrain || this.queuedBytes > QUEUE_LIMIT_BYTES;
    if (holding) this.src.pause();
    else if (!this.src.destroyed) this.src.resume();
    if (!this.fault.blocked && !this.waitingForDrain && this.queue.length > 0) {
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
