import { describe, expect, it } from 'vitest';
import { decodeLossless } from './bytes.ts';
import { Keyword, Symbol_, Tagged, readEdnForms } from './edn-reader.ts';
import { HistoryFormatError } from './errors.ts';

function problem(run: () => unknown): HistoryFormatError {
  try {
    run();
  } catch (err) {
    if (err instanceof HistoryFormatError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('EDN reader', () => {
  it('reads scalars', () => {
    expect(readEdnForms('nil true false 42 -7 3.5 1e3 12345678901234567890N "a\\n\\"b\\"" \\a \\newline')).toEqual(
      [null, true, false, 42, -7, 3.5, 1000, 12345678901234567890n, 'a\n"b"', 'a', '\n']);
  });

  it('interns keywords and keeps symbols', () => {
    const [a, b, s] = readEdnForms(':jepsen/ok :jepsen/ok foo');
    expect(a).toBe(b);
    expect(a).toBe(Keyword.of('jepsen/ok'));
    expect(s).toBeInstanceOf(Symbol_);
  });

  it('reads collections, sets, tagged literals, comments, commas and discards', () => {
    const [m, set, tagged] = readEdnForms('{:a [1 (2 3)], :b #_ignored {}} ; comment\n #{1 2} #inst "2026-01-01"');
    expect(m).toBeInstanceOf(Map);
    expect((m as Map<unknown, unknown>).get(Keyword.of('a'))).toEqual([1, [2, 3]]);
    expect((m as Map<unknown, unknown>).get(Keyword.of('b'))).toEqual(new Map());
    expect(set).toEqual(new Set([1, 2]));
    expect(tagged).toEqual(new Tagged('inst', '2026-01-01'));
  });

  it('reports unbalanced input with a line number', () => {
    expect(() => readEdnForms('[1 2\n 3')).toThrow(/line 2: missing '\]'/);
    expect(() => readEdnForms('{:a}')).toThrow(/even number of forms/);
    expect(() => readEdnForms(')')).toThrow(/unexpected '\)'/);
    expect(() => readEdnForms('"open')).toThrow(/unterminated string/);
  });

  it('reads string escapes as EDN writers (and formatEdnHistory) write them', () => {
    expect(readEdnForms(String.raw`"\b\f\t\\\u00e9\ud83d\ude00"`)).toEqual(['\b\f\t\\é😀']);
    expect(() => readEdnForms(String.raw`"\u12"`)).toThrow(/bad \\u escape/);
  });

  it('discards and tags apply to the next whole form, at any level', () => {
    expect(readEdnForms('[#_ #_ 1 2 3] #a #_ x #b y [#_[1 [2]] 4]')).toEqual(
      [[3], new Tagged('a', new Tagged('b', new Symbol_('y'))), [4]]);
    expect(() => readEdnForms('[1 #_]')).toThrow(/a form is missing before '\]'/);
    expect(() => readEdnForms('#tag')).toThrow(/unexpected end of input/);
  });

  it('refuses nesting deeper than the bound, without recursing, at any input depth', () => {
    for (const text of ['['.repeat(5000), '['.repeat(100_000) + ']'.repeat(100_000), '#t '.repeat(2000) + '1', '{:a '.repeat(3000)]) {
      const e = problem(() => readEdnForms(text));
      expect([e.code, e.message]).toEqual(['TOO_DEEP', 'line 1: values nest deeper than 1000 levels: refused']);
    }
    expect(problem(() => readEdnForms('\n[[[ 1 ]]]', { maxDepth: 2 })).message).toBe('line 2: values nest deeper than 2 levels: refused');
    let v = readEdnForms('['.repeat(1000) + ']'.repeat(1000))[0];
    for (let i = 1; i < 1000; i++) v = (v as unknown[])[0] as never;
    expect(v).toEqual([]);
  });

  it('reads raw invalid UTF-8 in a string as its exact bytes, and refuses it elsewhere', () => {
    const read = (b: number[]) => {
      const { text, escaped } = decodeLossless(Uint8Array.from(b));
      return () => readEdnForms(text, { escapedBytes: escaped });
    };
    const q = 0x22, a = 0x61, b = 0x62;
    expect(read([q, a, 0xff, b, q, 0x20, q, a, 0xfe, b, q, 0x20, q, 0xc3, 0xa9, q])()).toEqual([{ b64: 'Yf9i' }, { b64: 'Yf5i' }, 'é']);
    expect(problem(read([0x3a, a, 0xff])).code).toBe('BAD_BYTES');
    expect(problem(read([0x5c, 0xff])).code).toBe('BAD_BYTES');
    expect(problem(read([q, 0x5c, 0x75, 0x64, 0x38, 0x30, 0x30, 0xff, q])).code).toBe('BAD_BYTES'); // "\ud800<ff>"
    expect(readEdnForms('"a\udcffb"')).toEqual(['a\udcffb']); // not from decodeLossless: a string, as written
  });

  it('lets a progress hook stop the reading (budgets)', () => {
    let calls = 0;
    const stop = () => { if (++calls > 2) throw new RangeError('budget'); };
    expect(() => readEdnForms('[1] '.repeat(100_000), { onProgress: stop })).toThrow('budget');
    expect(calls).toBe(3);
  });
});
