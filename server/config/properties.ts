// java.util.Properties text syntax, as Properties.load reads zoo.cfg:
// `key=value`, `key: value` or `key value`; `#` and `!` comment lines; a line
// ending in an odd number of backslashes continues on the next one (whose
// leading blanks are dropped); escapes \t \n \r \f \uXXXX, and `\x` is `x`.
// A repeated key keeps its last value. Pure.

import { ConfigError, ConfigErrorCode } from './errors.ts';

/** One key/value pair as read, with the 1-based line where it starts. */
export interface Property {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\f';

function stripLeadingBlanks(s: string): string {
  let i = 0;
  while (i < s.length && isBlank(s[i])) i++;
  return s.slice(i);
}

function endsInContinuation(s: string): boolean {
  let count = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) count++;
  return count % 2 === 1;
}

/** Joins natural lines into logical lines, dropping comments and blank lines. */
export function logicalLines(text: string): { text: string; line: number }[] {
  const natural = text.split(/\r\n|\r|\n/);
  const out: { text: string; line: number }[] = [];
  let pending: { text: string; line: number } | undefined;
  natural.forEach((raw, index) => {
    const s = stripLeadingBlanks(raw);
    if (pending === undefined) {
      if (s === '' || s[0] === '#' || s[0] === '!') return;
      pending = { text: '', line: index + 1 };
    }
    if (endsInContinuation(s)) {
      pending.text += s.slice(0, -1);
      return;
    }
    pending.text += s;
    out.push(pending);
    pending = undefined;
  });
  if (pending !== undefined) out.push(pending);
  return out;
}

/** Index where the key ends and index where the value starts. */
function splitKeyValue(line: string): { keyEnd: number; valueStart: number } {
  let keyEnd = line.length;
  let valueStart = line.length;
  let hasSeparator = false;
  let escaped = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (escaped) { escaped = false; continue; }
    if (c === '\\') { escaped = true; continue; }
    if (c === '=' || c === ':') { keyEnd = i; valueStart = i + 1; hasSeparator = true; break; }
    if (isBlank(c)) { keyEnd = i; valueStart = i + 1; break; }
  }
  while (valueStart < line.length) {
    const c = line[valueStart];
    if (!isBlank(c)) {
      if (hasSeparator || (c !== '=' && c !== ':')) break;
      hasSeparator = true;
    }
    valueStart++;
  }
  return { keyEnd, valueStart };
}

const simpleEscapes: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' };

/** Properties.loadConvert: resolves backslash escapes. */
export function unescapeProperty(s: string, line: number, fileName = 'properties'): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) { if (c !== '\\') out += c; continue; }
    const next = s[++i]!;
    if (next === 'u') {
      const hex = s.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw new ConfigError(ConfigErrorCode.SYNTAX, `${fileName}: line ${line}: malformed \\uxxxx encoding`);
      }
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += simpleEscapes[next] ?? next;
    }
  }
  return out;
}

/** Every property in file order (a repeated key appears more than once). */
export function readProperties(text: string, fileName = 'properties'): Property[] {
  return logicalLines(text).map(({ text: lineText, line }) => {
    const { keyEnd, valueStart } = splitKeyValue(lineText);
    return {
      key: unescapeProperty(lineText.slice(0, keyEnd), line, fileName),
      value: unescapeProperty(lineText.slice(valueStart), line, fileName),
      line,
    };
  });
}

/** Java's String.trim: drops every char <= U+0020 at both ends. */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/**
 * The properties as QuorumPeerConfig sees them: keys and values trimmed, the
 * last occurrence of a key wins. Map order is the order of first appearance.
 */
export function parseProperties(text: string, fileName = 'properties'): Map<string, string> {
  const map = new Map<string, string>();
  for (const p of readProperties(text, fileName)) map.set(javaTrim(p.key), javaTrim(p.value));
  return map;
}
