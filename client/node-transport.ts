// The Transport over Node TCP sockets (no Nagle: requests are small and pipelined).
import { Socket } from 'node:net';
import type { Connection, ConnectionHandlers, Endpoint, Transport } from './types.ts';

export const nodeTransport: Transport = {
  connect(endpoint: Endpoint, handlers: ConnectionHandlers): Connection {
    const socket = new Socket();
    let closed = false;
    const finish = (reason: string) => {
      if (closed) return;
      closed = true;
      socket.destroy();
      handlers.onClose(reason);
    };
    socket.setNoDelay(true);
    socket.on('connect', () => handlers.onOpen());
    socket.on('data', (chunk: Buffer) => handlers.onData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    socket.on('error', (e) => finish(`${endpoint.host}:${endpoint.port}: ${e.message}`));
    socket.on('close', () => finish(`${endpoint.host}:${endpoint.port}: connection closed`));
    socket.connect(endpoint.port, endpoint.host);
    return {
      send: (bytes) => { if (!closed) socket.write(bytes); },
      close: () => finish(`${endpoint.host}:${endpoint.port}: closed by client`),
    };
  },
};
