// A scripted Transport for unit tests: every connect() is recorded; the test
// plays the server by opening the connection, reading the frames the client
// wrote (decoded with server/wire, so encoding is checked too) and pushing
// replies. No sockets.
import {
  FrameDecoder, JuteWriter, decodeConnectRequest, decodeRequest, encodeConnectResponse, encodeReply, frame,
  records as R, type ConnectRequest, type DecodedRequest,
} from '../../server/wire/index.ts';
import type { Connection, ConnectionHandlers, Endpoint, Transport } from '../types.ts';

export class FakeConnection implements Connection {
  closed = false;
  closeReason = '';
  private readonly decoder = new FrameDecoder();
  private readonly frames: Uint8Array[] = [];
  private handshakeRead = false;

  constructor(readonly endpoint: Endpoint, private readonly handlers: ConnectionHandlers) {}

  send(bytes: Uint8Array): void {
    if (this.closed) throw new Error('send on a closed FakeConnection');
    this.decoder.push(bytes);
    for (let f = this.decoder.next(); f !== undefined; f = this.decoder.next()) this.frames.push(f);
  }

  close(): void {
    this.finish('closed by client');
  }

  // ---- the server's side

  open(): void {
    this.handlers.onOpen();
  }

  /** Server hangs up / connection reset. */
  drop(reason = 'reset by server'): void {
    this.finish(reason);
  }

  private finish(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    this.handlers.onClose(reason);
  }

  readConnectRequest(): ConnectRequest {
    if (this.handshakeRead) throw new Error('ConnectRequest already read');
    const body = this.frames.shift();
    if (body === undefined) throw new Error('client sent no ConnectRequest');
    this.handshakeRead = true;
    return decodeConnectRequest(body);
  }

  /** Requests written since the last call. */
  readRequests(): DecodedRequest[] {
    if (!this.handshakeRead) throw new Error('read the ConnectRequest first');
    return this.frames.splice(0).map((f) => decodeRequest(f));
  }

  acceptSession(sessionId: bigint, timeOutMs: number, opts: { passwd?: Uint8Array; readOnly?: boolean } = {}): void {
    this.push(encodeConnectResponse({ protocolVersion: 0, timeOut: timeOutMs, sessionId,
      passwd: opts.passwd ?? new Uint8Array(16).fill(7), readOnly: opts.readOnly ?? false }, true));
  }

  rejectSessionExpired(): void {
    this.push(encodeConnectResponse({ protocolVersion: 0, timeOut: 0, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false }, true));
  }

  reply(xid: number, zxid: number, err: number, writeBody?: (w: JuteWriter) => void): void {
    this.push(encodeReply(xid, zxid, err, writeBody));
  }

  notify(type: number, path: string, zxid: number, state = 3): void {
    this.reply(-1, zxid, 0, (w) => R.WatcherEvent.write(w, { type, state, path }));
  }

  /** Raw bytes to the client, framed. */
  push(body: Uint8Array): void {
    if (this.closed) throw new Error('push on a closed FakeConnection');
    this.handlers.onData(frame(body));
  }
}

export class FakeTransport implements Transport {
  readonly connections: FakeConnection[] = [];

  connect(endpoint: Endpoint, handlers: ConnectionHandlers): Connection {
    const conn = new FakeConnection(endpoint, handlers);
    this.connections.push(conn);
    return conn;
  }

  get last(): FakeConnection {
    const c = this.connections.at(-1);
    if (c === undefined) throw new Error('no connection attempted');
    return c;
  }
}
