import { describe, expect, it } from 'vitest';
import { Keyword, Symbol_, Tagged, readEdnForms } from './edn-reader.ts';

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
});
