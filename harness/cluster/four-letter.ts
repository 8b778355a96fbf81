// Four-letter words over TCP: send the word on a fresh connection, read until
// the server closes it, bounded by a timeout.
import { connect } from 'node:net';
import type { HostPort } from './types.ts';

export function fourLetterWord(address: HostPort, word: string, timeoutMs: number): Promise<string> {
  if (word.length !== 4) return Promise.reject(new RangeError(`'${word}' is not a four-letter word`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: address.host, port: address.port }, () => socket.write(word));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${word} to ${address.host}:${address.port}: no answer in ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}
