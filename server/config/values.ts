// Value parsers with Java's rules (Integer.parseInt, Long.parseLong,
// Integer.decode, QuorumPeerConfig.parseBoolean), each failing with a
// ConfigError that names the file, the key and the value. Pure.

import { ConfigErrorCode, keyError } from './errors.ts';

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/** Where a value came from, for error messages. */
export interface ValueSource {
  readonly fileName: string;
  readonly key: string;
}

/** Integer.parseInt: an optional sign and decimal digits, within int32. */
export function parseInt32(source: ValueSource, value: string): number {
  return parseDecimal(source, value, INT_MIN, INT_MAX);
}

/** Long.parseLong, limited to what a JavaScript number holds exactly. */
export function parseInt53(source: ValueSource, value: string): number {
  return parseDecimal(source, value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
}

function parseDecimal(source: ValueSource, value: string, min: number, max: number): number {
  if (!/^[+-]?[0-9]+$/.test(value)) {
    throw keyError(ConfigErrorCode.NOT_A_NUMBER, source.fileName, source.key, value, 'is not a number');
  }
  const n = Number(value);
  if (n < min || n > max) {
    throw keyError(ConfigErrorCode.NOT_A_NUMBER, source.fileName, source.key, value,
      `is out of range [${min}, ${max}]`);
  }
  return n;
}

/** Integer.decode: decimal, 0x / 0X / # hexadecimal, or 0-prefixed octal. */
export function decodeInt32(source: ValueSource, value: string): number {
  const m = /^([+-]?)(0[xX]|#)?(.*)$/.exec(value)!;
  const [, sign, hexPrefix, body] = m as unknown as [string, string, string | undefined, string];
  let n: number | undefined;
  if (hexPrefix !== undefined) {
    if (/^[0-9a-fA-F]+$/.test(body)) n = parseInt(body, 16);
  } else if (body.length > 1 && body.startsWith('0')) {
    if (/^[0-7]+$/.test(body)) n = parseInt(body, 8);
  } else if (/^[0-9]+$/.test(body)) {
    n = parseInt(body, 10);
  }
  if (n === undefined) {
    throw keyError(ConfigErrorCode.NOT_A_NUMBER, source.fileName, source.key, value, 'is not a number');
  }
  n = sign === '-' ? -n : n;
  if (n < INT_MIN || n > INT_MAX) {
    throw keyError(ConfigErrorCode.NOT_A_NUMBER, source.fileName, source.key, value,
      `is out of range [${INT_MIN}, ${INT_MAX}]`);
  }
  return n;
}

/** QuorumPeerConfig.parseBoolean: `true` or `false`, any case. */
export function parseBoolean(source: ValueSource, value: string): boolean {
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw keyError(ConfigErrorCode.NOT_A_BOOLEAN, source.fileName, source.key, value, "is not 'true' or 'false'");
}

/** A TCP port: 0..65535 (0 only where the caller allows "unset"). */
export function parsePort(source: ValueSource, value: string, allowZero: boolean): number {
  const port = parseInt32(source, value);
  if (port < (allowZero ? 0 : 1) || port > 65535) {
    throw keyError(ConfigErrorCode.BAD_VALUE, source.fileName, source.key, value,
      `is not a port (${allowZero ? 0 : 1}..65535)`);
  }
  return port;
}

/** An integer that must be at least `min`. */
export function parseAtLeast(source: ValueSource, value: string, min: number): number {
  const n = parseInt32(source, value);
  if (n < min) {
    throw keyError(ConfigErrorCode.BAD_VALUE, source.fileName, source.key, value, `must be at least ${min}`);
  }
  return n;
}
