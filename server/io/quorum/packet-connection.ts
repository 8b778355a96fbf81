// One leader <-> learner TCP connection: QuorumPackets decoded as they
// arrive (SNAP streams on the learner side), packets written back to back,
// unsent bytes bounded. Packets sent in one turn of the event loop (e.g. the
// PROPOSALs for every request read in one poll, the COMMITs for a batch of
// ACKs) leave in one socket write: one syscall per batch, not per packet. close() is the owner's decision and reports nothing;
// a close by the remote, a socket error or a malformed stream calls onClosed.
import type net from 'node:net';
import type { ZabPacket } from '../../zab/packets.ts';
import { encodeQuorumPacket, QuorumPacketDecoder, type DecodedPacket, type PacketLimits } from './packet-stream.ts';

/** Above this many queued bytes (a SNAP stream), packets go out as they are, without a copy. */
const COALESCE_LIMIT_BYTES = 256 * 1024;

function concatBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

export interface PacketConnectionHandlers {
  onPacket(d: DecodedPacket): void;
  onClosed(reason: string): void;
}

export class PacketConnection {
  private readonly decoder: QuorumPacketDecoder;
  private open = true;
  private handlers: PacketConnectionHandlers | null = null;
  private readonly maxUnsentBytes: number;
  /** Bytes of bulk writes (a SNAP stream) not yet drained: allowed on top of maxUnsentBytes. */
  private bulkBytes = 0;
  private readTimer: NodeJS.Timeout | null = null;
  /** Packets waiting for the end of this turn of the event loop, in send order. */
  private outgoing: Uint8Array[] = [];
  private outgoingBytes = 0;
  /** The part of outgoingBytes that is bulk (counted in bulkBytes once written). */
  private outgoingBulkBytes = 0;
  private flushScheduled = false;
  private readonly flushNow = () => this.flush();

  constructor(
    private readonly socket: net.Socket,
    limits: PacketLimits & { readonly maxUnsentBytes: number },
    acceptSnapshots: boolean,
  ) {
    this.maxUnsentBytes = limits.maxUnsentBytes;
    this.decoder = new QuorumPacketDecoder(limits, acceptSnapshots);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.lost(`socket error: ${e.message}`));
    socket.on('close', () => this.lost('closed by the remote'));
    socket.on('drain', () => { this.bulkBytes = 0; });
  }

  get isOpen(): boolean {
    return this.open;
  }

  get remote(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  /**
   * Closes the connection (reported through onClosed) when nothing arrives for
   * `timeoutMs` — LearnerHandler's socket read timeout. Writes do not count:
   * a partitioned peer's socket keeps accepting them.
   */
  setReadTimeout(timeoutMs: number): void {
    if (this.readTimer !== null) clearTimeout(this.readTimer);
    this.readTimer = setTimeout(() => this.lost(`nothing received for ${timeoutMs} ms`), timeoutMs);
    this.readTimer.unref();
  }

  /** Starts delivering packets (those already buffered first). */
  attach(handlers: PacketConnectionHandlers): void {
    this.handlers = handlers;
    this.pump();
  }

  send(p: ZabPacket): void {
    this.sendBytes(encodeQuorumPacket(p));
  }

  /** Writes bytes; `bulk` (a snapshot) may exceed the unsent bound once, until the socket drains. */
  sendBytes(bytes: Uint8Array, bulk = false): void {
    if (!this.open) return;
    const unsentBytes = this.socket.writableLength + this.outgoingBytes - this.outgoingBulkBytes;
    if (unsentBytes > this.maxUnsentBytes + this.bulkBytes) {
      this.lost(`TOO_SLOW: more than ${this.maxUnsentBytes} bytes unsent`);
      return;
    }
    if (bulk) this.outgoingBulkBytes += bytes.byteLength;
    this.outgoing.push(bytes);
    this.outgoingBytes += bytes.byteLength;
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(this.flushNow);
  }

  /** Writes every queued packet: one buffer when they are small, else one writev. */
  private flush(): void {
    this.flushScheduled = false;
    const parts = this.outgoing;
    const total = this.outgoingBytes;
    this.bulkBytes += this.outgoingBulkBytes;
    this.outgoing = [];
    this.outgoingBytes = 0;
    this.outgoingBulkBytes = 0;
    if (!this.open || parts.length === 0) return;
    if (parts.length === 1) {
      this.socket.write(parts[0]!);
      return;
    }
    if (total > COALESCE_LIMIT_BYTES) {
      this.socket.cork();
      for (const p of parts) this.socket.write(p);
      this.socket.uncork();
      return;
    }
    this.socket.write(concatBytes(parts, total));
  }

  /** Closes from this side: a graceful end (queued bytes still go out), or at once with `immediately`. */
  close(immediately = false): void {
    if (!this.open) return;
    if (!immediately) this.flush();
    this.open = false;
    if (this.readTimer !== null) clearTimeout(this.readTimer);
    if (immediately) return void this.socket.destroy();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private onData(chunk: Buffer): void {
    if (!this.open) return;
    this.readTimer?.refresh();
    this.decoder.push(chunk);
    if (this.handlers !== null) this.pump();
  }

  private pump(): void {
    while (this.open && this.handlers !== null) {
      let d: DecodedPacket | undefined;
      try {
        d = this.decoder.next();
      } catch (e) {
        this.lost(`malformed stream: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      if (d === undefined) return;
      this.handlers.onPacket(d);
    }
  }

  private lost(reason: string): void {
    if (!this.open) return;
    this.open = false;
    if (this.readTimer !== null) clearTimeout(this.readTimer);
    this.outgoing = [];
    this.outgoingBytes = 0;
    this.outgoingBulkBytes = 0;
    this.socket.destroy();
    this.handlers?.onClosed(reason);
  }
}
