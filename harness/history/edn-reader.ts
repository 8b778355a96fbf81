// A small EDN reader: enough of the format for Jepsen histories (nil, booleans,
// numbers, strings, characters, keywords, symbols, lists, vectors, maps, sets,
// tagged literals, comments and #_ discards). Keywords are interned so they
// can be compared with === and used as Map keys.
//
// Iterative (an explicit stack, no recursion on nesting), and nesting deeper
// than `maxDepth` is refused (TOO_DEEP). Text from decodeLossless with raw
// invalid UTF-8 inside a string literal reads as that string's exact bytes
// (`{b64}`, see bytes.ts); such bytes anywhere else are refused (BAD_BYTES).
import { unescapeBytes, type BytesValue } from './bytes.ts';
import { HistoryFormatError, type HistoryErrorCode } from './errors.ts';
import { MAX_NESTING_DEPTH } from './limits.ts';

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
  | null | boolean | number | bigint | string | BytesValue | Keyword | Symbol_ | Tagged
  | EdnValue[] | Map<EdnValue, EdnValue> | Set<EdnValue>;

export interface EdnReadOptions {
  /** Deepest nesting of collections and tagged literals accepted (default MAX_NESTING_DEPTH). */
  maxDepth?: number;
  /** The text came from decodeLossless with escaped bytes (`escaped: true`). */
  escapedBytes?: boolean;
  /** Called every few thousand forms with the read position; may throw to stop (a budget). */
  onProgress?: (position: number) => void;
}

/** Per ASCII code: 1 ends a token (whitespace, comma, delimiter). Code units >= 128 never do. */
const TOKEN_END = new Uint8Array(128);
for (const c of ' ,\n\t\r()[]{}";') TOKEN_END[c.charCodeAt(0)] = 1;
const CHAR_NAMES: Record<string, string> = { newline: '\n', space: ' ', tab: '\t', return: '\r', backspace: '\b', formfeed: '\f' };
const STRING_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
const CLOSERS = new Set([')', ']', '}']);
/** Unsigned decimal integers short enough to be exact doubles: the common case, read without the general rules. */
const SMALL_INT = /^\d+$/;
const PROGRESS_EVERY = 0x3fff;

type Kind = 'top' | 'list' | 'vector' | 'map' | 'set';
const DISCARD = Symbol('discard');
type Wrapper = { tag: string } | typeof DISCARD;

/** One open collection: its items so far, and the `#tag` / `#_` prefixes waiting for their next form. */
interface Frame {
  kind: Kind;
  close: string;
  items: EdnValue[];
  wrappers: Wrapper[];
}

function isRawByte(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0xdc80 || c > 0xdcff) return false;
  const before = i > 0 ? s.charCodeAt(i - 1) : 0;
  return before < 0xd800 || before > 0xdbff;
}

class Reader {
  pos = 0;
  private depth = 0;
  private readonly maxDepth: number;
  constructor(private readonly s: string, private readonly options: EdnReadOptions) {
    this.maxDepth = options.maxDepth ?? MAX_NESTING_DEPTH;
  }

  fail(message: string, code: HistoryErrorCode = 'BAD_EDN'): never {
    let line = 1;
    for (let i = 0; i < this.pos && i < this.s.length; i++) if (this.s.charCodeAt(i) === 10) line++;
    throw new HistoryFormatError(code, message, line);
  }

  skipSpace(): void {
    const s = this.s, n = s.length;
    let pos = this.pos;
    while (pos < n) {
      const c = s.charCodeAt(pos);
      if (c === 0x3b) { // ;
        while (pos < n && s.charCodeAt(pos) !== 10) pos++;
      } else if (c === 0x20 || c === 0x2c || c === 10 || c === 9 || c === 13) pos++;
      else break;
    }
    this.pos = pos;
  }

  /** The token from `pos` to the next whitespace or delimiter (charCodeAt and a table: the reader's hot loop). */
  token(): string {
    const s = this.s, n = s.length, start = this.pos;
    let pos = start;
    while (pos < n) {
      const c = s.charCodeAt(pos);
      if (c < 128 && TOKEN_END[c] === 1) break;
      pos++;
    }
    this.pos = pos;
    if (this.options.escapedBytes) {
      for (let i = start; i < pos; i++) if (isRawByte(s, i)) this.fail('invalid UTF-8 outside a string literal', 'BAD_BYTES');
    }
    return s.slice(start, pos);
  }

  private deeper(): void {
    if (++this.depth > this.maxDepth) this.fail(`values nest deeper than ${this.maxDepth} levels: refused`, 'TOO_DEEP');
  }

  /** Every top-level form, read with an explicit stack of open collections. */
  readAll(): EdnValue[] {
    const stack: Frame[] = [{ kind: 'top', close: '', items: [], wrappers: [] }];
    for (let steps = 0; ; steps++) {
      if ((steps & PROGRESS_EVERY) === 0) this.options.onProgress?.(this.pos);
      this.skipSpace();
      const frame = stack[stack.length - 1]!;
      if (this.pos >= this.s.length) {
        if (frame.kind !== 'top') this.fail(`missing '${frame.close}'`);
        if (frame.wrappers.length > 0) this.fail('unexpected end of input');
        return frame.items;
      }
      const c = this.s[this.pos]!;
      if (CLOSERS.has(c)) {
        if (c !== frame.close) this.fail(`unexpected '${c}'`);
        if (frame.wrappers.length > 0) this.fail(`a form is missing before '${c}'`);
        this.pos++;
        stack.pop();
        this.depth--;
        this.complete(stack[stack.length - 1]!, this.finish(frame));
      } else {
        const opened = this.open(c, frame);
        if (opened !== undefined) stack.push(opened);
      }
    }
  }

  /** A new open collection, one level deeper. (A method, not a closure made per call: that was the reader's main cost.) */
  private collection(kind: Kind, close: string): Frame {
    this.deeper();
    return { kind, close, items: [], wrappers: [] };
  }

  /** Reads what starts at `c`: a new frame to push, a wrapper (kept on `frame`), or a scalar (completed). */
  private open(c: string, frame: Frame): Frame | undefined {
    this.pos++;
    switch (c) {
      case '(': return this.collection('list', ')');
      case '[': return this.collection('vector', ']');
      case '{': return this.collection('map', '}');
      case '#': return this.dispatch(frame);
      case '"': this.complete(frame, this.readString()); return undefined;
      case '\\': this.complete(frame, this.readChar()); return undefined;
    }
    this.pos--;
    this.complete(frame, this.readAtom(this.token()));
    return undefined;
  }

  private dispatch(frame: Frame): Frame | undefined {
    const c = this.s[this.pos];
    if (c === '{') {
      this.pos++;
      return this.collection('set', '}');
    }
    if (c === '_') {
      this.pos++;
      frame.wrappers.push(DISCARD);
      return undefined;
    }
    const tag = this.token();
    if (tag.length === 0) this.fail(`bad dispatch '#${c ?? ''}'`);
    this.deeper();
    frame.wrappers.push({ tag });
    return undefined;
  }

  /** A finished form goes through its frame's pending wrappers (innermost first), then into the frame. */
  private complete(frame: Frame, value: EdnValue): void {
    if (frame.wrappers.length === 0) {
      frame.items.push(value);
      return;
    }
    let v = value;
    for (;;) {
      const w = frame.wrappers.pop();
      if (w === undefined) {
        frame.items.push(v);
        return;
      }
      if (w === DISCARD) return;
      this.depth--;
      v = new Tagged(w.tag, v);
    }
  }

  private finish(frame: Frame): EdnValue {
    if (frame.kind === 'set') return new Set(frame.items);
    if (frame.kind !== 'map') return frame.items;
    if (frame.items.length % 2 !== 0) this.fail('a map needs an even number of forms');
    const m = new Map<EdnValue, EdnValue>();
    for (let i = 0; i < frame.items.length; i += 2) m.set(frame.items[i]!, frame.items[i + 1]!);
    return m;
  }

  readString(): string | BytesValue {
    let out = '', start = this.pos, raw = false, surrogateEscape = false;
    const s = this.s;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c === '"') {
        out += s.slice(start, this.pos++);
        return raw ? this.exactBytes(out, surrogateEscape) : out;
      }
      if (this.options.escapedBytes && isRawByte(s, this.pos)) raw = true;
      if (c !== '\\') {
        this.pos++;
        continue;
      }
      out += s.slice(start, this.pos);
      const e = s[this.pos + 1];
      this.pos += 2;
      if (e === 'u') {
        const hex = s.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail(`bad \\u escape '\\u${hex}'`);
        const unit = parseInt(hex, 16);
        if (unit >= 0xd800 && unit <= 0xdfff) surrogateEscape = true;
        out += String.fromCharCode(unit);
        this.pos += 4;
      } else out += (e !== undefined ? STRING_ESCAPES[e] : undefined) ?? e ?? '';
      start = this.pos;
    }
    this.fail('unterminated string');
  }

  private exactBytes(s: string, surrogateEscape: boolean): BytesValue | string {
    const bytes = surrogateEscape ? undefined : unescapeBytes(s);
    if (bytes === undefined) this.fail('a string mixes raw invalid UTF-8 with \\u escapes of surrogates', 'BAD_BYTES');
    return bytes;
  }

  readChar(): string {
    const first = this.s[this.pos];
    if (first === undefined) this.fail('unterminated character literal');
    if (this.options.escapedBytes && isRawByte(this.s, this.pos)) this.fail('invalid UTF-8 in a character literal', 'BAD_BYTES');
    this.pos++;
    const name = first + this.token();
    return name.length === 1 ? name : (CHAR_NAMES[name] ?? name[0]!);
  }

  readAtom(t: string): EdnValue {
    if (t.length === 0) this.fail(`unexpected character '${this.s[this.pos]}'`);
    if (t === 'nil') return null;
    if (t === 'true') return true;
    if (t === 'false') return false;
    const first = t.charCodeAt(0);
    if (first === 0x3a) return Keyword.of(t.slice(1)); // :
    if (first >= 0x30 && first <= 0x39 && t.length < 16 && SMALL_INT.test(t)) return Number(t);
    if (/^[+-]?\d+N?$/.test(t)) {
      const digits = t.endsWith('N') ? t.slice(0, -1) : t;
      const n = Number(digits);
      return Number.isSafeInteger(n) ? n : BigInt(digits);
    }
    if (/^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?M?$/.test(t)) return Number(t.replace(/M$/, ''));
    return new Symbol_(t);
  }
}

/**
 * Reads every top-level form in `text`. Throws HistoryFormatError with a line
 * number: BAD_EDN, TOO_DEEP (nesting past `maxDepth`) or BAD_BYTES.
 */
export function readEdnForms(text: string, options: EdnReadOptions = {}): EdnValue[] {
  return new Reader(text, options).readAll();
}
