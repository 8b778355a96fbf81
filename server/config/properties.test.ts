import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.ts';
import { javaTrim, logicalLines, parseProperties, readProperties } from './properties.ts';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'latin1');

/** The same text format as fixtures/tricky.java-output.txt (printed by java.util.Properties). */
function dumpLikeJava(text: string): string {
  const map = new Map<string, string>();
  for (const p of readProperties(text)) map.set(p.key, p.value);
  const show = (s: string): string => s.replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\f/g, '\\f');
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `[${show(k)}]=[${show(v)}]\n`).join('');
}

describe('readProperties (java.util.Properties.load)', () => {
  it('reads fixtures/tricky.properties exactly as Java 17 did', () => {
    expect(dumpLikeJava(fixture('tricky.properties'))).toBe(fixture('tricky.java-output.txt'));
  });

  it('accepts =, : and blanks as separators', () => {
    expect(readProperties('a=1\nb: 2\nc 3\nd\t4\ne\f5').map((p) => [p.key, p.value]))
      .toEqual([['a', '1'], ['b', '2'], ['c', '3'], ['d', '4'], ['e', '5']]);
  });

  it('skips # and ! comments and blank lines, and reports line numbers', () => {
    expect(readProperties('# x\n\n  ! y\n   \nk=v\n')).toEqual([{ key: 'k', value: 'v', line: 5 }]);
  });

  it('joins continuation lines, dropping the next line’s leading blanks', () => {
    expect(logicalLines('a=1,\\\n   2,\\\n\t3\nb=\\\\\nc=4')).toEqual([
      { text: 'a=1,2,3', line: 1 }, { text: 'b=\\\\', line: 4 }, { text: 'c=4', line: 5 },
    ]);
  });

  it('does not continue a comment line', () => {
    expect(readProperties('# c \\\nk=v').map((p) => p.key)).toEqual(['k']);
  });

  it('rejects a malformed \\u escape', () => {
    expect(() => readProperties('k=\\u12')).toThrow(ConfigError);
    expect(() => readProperties('k=\\u12zz', 'a.cfg')).toThrow('a.cfg: line 1: malformed \\uxxxx encoding');
  });
});

describe('parseProperties (as QuorumPeerConfig sees them)', () => {
  it('trims keys and values and keeps the last of a repeated key', () => {
    const map = parseProperties('tickTime = 2000   \ntickTime=3000\nkey\\  = v\\ \n');
    expect([...map]).toEqual([['tickTime', '3000'], ['key', 'v']]);
  });
  it('javaTrim drops control characters too', () => {
    expect(javaTrim('\u0001 a b\u0000\t')).toBe('a b');
  });
});
