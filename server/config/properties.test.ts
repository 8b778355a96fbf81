import { readFileSync } from 'node:fs';
import fc from 'fast-check';
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

describe('round trip (fast-check)', () => {
  /** Escapes text the way Properties.store does, so that load gives it back. */
  function escape(s: string, isKey: boolean): string {
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      const code = c.charCodeAt(0);
      if (c === ' ' && (isKey || i === 0)) out += '\\ ';
      else if ('\\=:#!'.includes(c)) out += `\\${c}`;
      else if (c === '\t') out += '\\t';
      else if (c === '\n') out += '\\n';
      else if (c === '\r') out += '\\r';
      else if (c === '\f') out += '\\f';
      else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += c;
    }
    return out;
  }

  it('reads back any key and value written with escapes', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 12, unit: 'binary' }), fc.string({ maxLength: 20, unit: 'binary' }),
      (key, value) => {
        const [p] = readProperties(`${escape(key, true)}=${escape(value, false)}\n`);
        expect(p).toEqual({ key, value, line: 1 });
      }), { numRuns: 300 });
  });
});
