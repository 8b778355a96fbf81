import { describe, expect, it } from 'vitest';
import { buildWhitelist, FOUR_LETTER_WORDS, fourLetterWordOf, isWhitelisted, TELNET_CLOSE, unknownWhitelistEntries } from './words.ts';

const int32Of = (word: string): number => Buffer.from(word, 'latin1').readInt32BE(0);

describe('fourLetterWordOf', () => {
  it('recognises each word from the first four bytes read as a frame length', () => {
    for (const word of FOUR_LETTER_WORDS) expect(fourLetterWordOf(int32Of(word))).toBe(word);
    expect(fourLetterWordOf(int32Of('\xff\xf4\xff\xfd'))).toBe(TELNET_CLOSE);
  });
  it('leaves a normal frame length alone', () => {
    expect(fourLetterWordOf(44)).toBeUndefined();
    expect(fourLetterWordOf(int32Of('xyzw'))).toBeUndefined();
  });
});

describe('buildWhitelist (FourLetterCommands.isEnabled)', () => {
  it('defaults to srvr only', () => {
    expect([...buildWhitelist(undefined, false)]).toEqual(['srvr']);
    expect([...buildWhitelist('', false)]).toEqual(['srvr']);
  });
  it('adds isro in read-only mode', () => {
    expect(buildWhitelist(undefined, true)).toEqual(new Set(['isro', 'srvr']));
  });
  it('takes a comma list with blanks', () => {
    const w = buildWhitelist(' stat, ruok ,,mntr', false);
    expect(w).toEqual(new Set(['stat', 'ruok', 'mntr', 'srvr']));
    expect(isWhitelisted('ruok', w)).toBe(true);
    expect(isWhitelisted('dump', w)).toBe(false);
  });
  it('* enables every command, telnet close included', () => {
    const w = buildWhitelist('ruok, *', false);
    for (const word of FOUR_LETTER_WORDS) expect(w.has(word)).toBe(true);
    expect(w.has(TELNET_CLOSE)).toBe(true);
  });
  it('reports unknown entries', () => {
    expect(unknownWhitelistEntries('stat, foo,*, bar ')).toEqual(['foo', 'bar']);
  });
});
