// A small EDN reader: enough of the format for Jepsen histories (nil, booleans,
// numbers, strings, characters, keywords, symbols, lists, vectors, maps, sets,
// tagged literals, comments and #_ discards). Keywords are interned so they
// can be compared with === and used as Map keys.
import { HistoryFormatError } from './errors.ts';

export class Keyword {
  private static readonly table = new Map<string, Keyword>();
  private constructor(readonly name: string) {}
  static of(name: string): Keyword {
    let k = Keyword.table.get(name);
    if (!k) Keyword.table.set(name, (k = new Keyword(name)));
    return k;
  }
  toString(): string {
    return `:${this.name}`;
  }
}

export class Symbol_ {
  constructor(readonly name: string) {}
}

export class Tagged {
  constructor(readonly tag: string, readonly value: EdnValue) {}
}

export type EdnValue =
  | null | boolean | number | bigint | string | Keyword | Symbol_ | Tagged
  | EdnValue[] | Map<EdnValue, EdnValue> | Set<EdnValue>;

const DELIMITERS = new Set(['(', ')', '[', ']', '{', '}', '"', ';']);
const CHAR_NAMES: Record<string, string> = { newline: '\n', space: ' ', tab: '\t', return: '\r' };

class Reader {
  pos = 0;
  constructor(private readonly s: string) {}

  fail(message: string): never {
    const line = this.s.slice(0, this.pos).split('\n').length;
    throw new HistoryFormatError('BAD_EDN', message, line);
  }

  skipSpace(): void {
    while (this.pos < this.s.length) {
      const c = this.s[this.pos]!;
      if (c === ';') {
        while (this.pos < this.s.length && this.s[this.pos] !== '\n') this.pos++;
      } else if (c === ' ' || c === ',' || c === '\n' || c === '\t' || c === '\r') this.pos++;
      else return;
    }
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.s.length;
  }

  token(): string {
    const start = this.pos;
    while (this.pos < this.s.length) {
      const c = this.s[this.pos]!;
      if (c === ' ' || c === ',' || c === '\n' || c === '\t' || c === '\r' || DELIMITERS.has(c)) break;
      this.pos++;
    }
    return this.s.slice(start, this.pos);
  }

  read(): EdnValue {
    this.skipSpace();
    if (this.pos >= this.s.length) this.fail('unexpected end of input');
    const c = this.s[this.pos]!;
    switch (c) {
      case '(': this.pos++; return this.readSeq(')');
      case '[': this.pos++; return this.readSeq(']');
      case '{': this.pos++; return this.readMap();
      case '"': this.pos++; return this.readString();
      case '#': this.pos++; return this.readDispatch();
      case '\\': this.pos++; return this.readChar();
      case ')': case ']': case '}': this.fail(`unexpected '${c}'`);
    }
    return this.readAtom(this.token());
  }

  readSeq(close: string): EdnValue[] {
    const out: EdnValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.s.length) this.fail(`missing '${close}'`);
      if (this.s[this.pos] === close) {
        this.pos++;
        return out;
      }
      const before = this.pos;
      const v = this.readOrDiscard();
      if (v !== DISCARDED) out.push(v);
      else if (this.pos === before) this.fail('reader made no progress');
    }
  }

  readMap(): Map<EdnValue, EdnValue> {
    const items = this.readSeq('}');
    if (items.length % 2 !== 0) this.fail('a map needs an even number of forms');
    const m = new Map<EdnValue, EdnValue>();
    for (let i = 0; i < items.length; i += 2) m.set(items[i]!, items[i + 1]!);
    return m;
  }

  readOrDiscard(): EdnValue | typeof DISCARDED {
    if (this.s.startsWith('#_', this.pos)) {
      this.pos += 2;
      this.read();
      return DISCARDED;
    }
    return this.read();
  }

  readString(): string {
    let out = '';
    while (this.pos < this.s.length) {
      const c = this.s[this.pos++]!;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.pos++];
      if (e === 'n') out += '\n';
      else if (e === 't') out += '\t';
      else if (e === 'r') out += '\r';
      else if (e === 'u') {
        out += String.fromCharCode(parseInt(this.s.slice(this.pos, this.pos + 4), 16));
        this.pos += 4;
      } else out += e ?? '';
    }
    this.fail('unterminated string');
  }

  readChar(): string {
    const first = this.s[this.pos++];
    if (first === undefined) this.fail('unterminated character literal');
    const name = first + this.token();
    return name.length === 1 ? name : (CHAR_NAMES[name] ?? name[0]!);
  }

  readDispatch(): EdnValue {
    const c = this.s[this.pos];
    if (c === '{') {
      this.pos++;
      return new Set(this.readSeq('}'));
    }
    if (c === '_') {
      this.pos++;
      this.read();
      return this.read();
    }
    const tag = this.token();
    if (tag.length === 0) this.fail(`bad dispatch '#${c ?? ''}'`);
    return new Tagged(tag, this.read());
  }

  readAtom(t: string): EdnValue {
    if (t.length === 0) this.fail(`unexpected character '${this.s[this.pos]}'`);
    if (t === 'nil') return null;
    if (t === 'true') return true;
    if (t === 'false') return false;
    if (t.startsWith(':')) return Keyword.of(t.slice(1));
    if (/^[+-]?\d+N?$/.test(t)) {
      const digits = t.endsWith('N') ? t.slice(0, -1) : t;
      const n = Number(digits);
      return Number.isSafeInteger(n) ? n : BigInt(digits);
    }
    if (/^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?M?$/.test(t)) return Number(t.replace(/M$/, ''));
    return new Symbol_(t);
  }
}

const DISCARDED = Symbol('discarded');

/** Reads every top-level form in `text`. Throws HistoryFormatError (code BAD_EDN) with a line number. */
export function readEdnForms(text: string): EdnValue[] {
  const r = new Reader(text);
  const forms: EdnValue[] = [];
  while (!r.atEnd()) {
    const v = r.readOrDiscard();
    if (v !== DISCARDED) forms.push(v);
  }
  return forms;
}
