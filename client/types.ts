// The client's seams: sockets, time and randomness are passed in, so the same
// client runs over Node sockets (node-transport.ts, node-clock.ts) or inside a
// deterministic simulator. Nothing in the client core touches I/O directly.

export interface Endpoint {
  host: string;
  port: number;
}

/** Callbacks a transport delivers for one connection, in order: open?, data*, close (exactly once). */
export interface ConnectionHandlers {
  onOpen(): void;
  onData(chunk: Uint8Array): void;
  /** The connection is gone (refused, reset, closed by either side). Called at most once. */
  onClose(reason: string): void;
}

/** One duplex byte stream to a server. */
export interface Connection {
  send(bytes: Uint8Array): void;
  /** Closes the stream; the transport then calls onClose (possibly synchronously). */
  close(): void;
}

export interface Transport {
  connect(endpoint: Endpoint, handlers: ConnectionHandlers): Connection;
}

export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  setTimer(delayMs: number, fire: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** A uniform random number in [0, 1). */
export type Rng = () => number;
