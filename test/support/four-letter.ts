// Four-letter words: write the word on a fresh connection, read until the
// server closes it.
import { connect } from 'node:net';

export async function fourLetterWord(host: string, port: number, word: string, timeoutMs = 5000): Promise<string> {
  if (word.length !== 4) throw new Error(`fourLetterWord: '${word}' is not four letters`);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host, port }, () => socket.write(word));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`fourLetterWord ${word}: no close after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (d) => chunks.push(d));
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
