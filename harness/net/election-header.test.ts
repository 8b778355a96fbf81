import { describe, expect, it } from 'vitest';
import { electionHeaderRewriter, initialMessage, PROTOCOL_VERSION_V1, PROTOCOL_VERSION_V2, rewriteInitialMessage } from './election-header.ts';

describe('election initial message rewrite', () => {
  it('replaces the advertised address and keeps version, sid and what follows', () => {
    const tail = Buffer.from([1, 2, 3]);
    const out = rewriteInitialMessage(Buffer.concat([initialMessage(PROTOCOL_VERSION_V2, 3n, '127.0.0.1:38387'), tail]), '127.0.0.1:41000');
    expect(out).toEqual(Buffer.concat([initialMessage(PROTOCOL_VERSION_V2, 3n, '127.0.0.1:41000'), tail]));
  });

  it('waits for the whole message, however the bytes are split', () => {
    const whole = initialMessage(PROTOCOL_VERSION_V1, 1n, '127.0.0.1:5');
    for (let cut = 0; cut <= whole.length; cut++) {
      const rewrite = electionHeaderRewriter('127.0.0.1:6');
      const out = Buffer.concat([rewrite(whole.subarray(0, cut)), rewrite(whole.subarray(cut)), rewrite(Buffer.from('x'))]);
      expect(out).toEqual(Buffer.concat([initialMessage(PROTOCOL_VERSION_V1, 1n, '127.0.0.1:6'), Buffer.from('x')]));
    }
  });

  it('passes other protocol versions through untouched', () => {
    const old = Buffer.alloc(16);
    old.writeBigInt64BE(2n, 0);
    old.writeBigInt64BE(2n, 8);
    expect(rewriteInitialMessage(old, '127.0.0.1:1')).toBe(old);
    expect(rewriteInitialMessage(Buffer.alloc(4), 'x')).toBe('incomplete');
  });
});
