// Reads a history file (the only I/O in harness/history besides the writer):
// JSONL, Jepsen EDN, a Jepsen text log or Porcupine JSON operations, chosen
// by `format`, else by the first characters, else by extension.
// The file is read as bytes, in chunks: its exact bytes are kept (bytes.ts),
// and reading and parsing spend from the caller's budget (limits.ts). JSONL is
// parsed line by line as it streams in; EDN once the whole file is read.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { decodeLossless, hasEscapedBytes } from './bytes.ts';
import { parseEdnHistory } from './edn.ts';
import type { EdnReadOptions } from './edn-reader.ts';
import { HistoryBudgetError, HistoryFormatError } from './errors.ts';
import { looksLikeJepsenLog, parseJepsenLog } from './jepsen-log.ts';
import { JsonlHistoryParser, parseJsonlHistory } from './jsonl.ts';
import { looksLikePorcupineJson, parsePorcupineJson } from './porcupine-json.ts';
import { checkLoadBudget, NO_LOAD_BUDGET, type LoadBudget } from './limits.ts';
import type { History } from './types.ts';

export type HistoryFileFormat = 'jsonl' | 'edn' | 'jepsen-log' | 'porcupine-json';

export const HISTORY_FILE_FORMATS: readonly HistoryFileFormat[] = ['jsonl', 'edn', 'jepsen-log', 'porcupine-json'];

const CHUNK_BYTES = 1 << 20;

/**
 * Content first where it is unambiguous: a Jepsen log line, Porcupine JSON
 * (`[{"…` or an object with `ClientId`/`Call`); then `.edn` -> EDN;
 * `.jsonl`/`.json` -> JSONL; otherwise EDN if the text starts with `{:`, `[` or `;`.
 */
export function detectFormat(path: string, text: string): HistoryFileFormat {
  if (looksLikeJepsenLog(text)) return 'jepsen-log';
  if (looksLikePorcupineJson(text)) return 'porcupine-json';
  if (/\.edn$/i.test(path)) return 'edn';
  if (/\.jsonl?$/i.test(path) || /\.ndjson$/i.test(path)) return 'jsonl';
  const start = text.trimStart();
  return start.startsWith('{:') || start.startsWith('[') || start.startsWith(';') ? 'edn' : 'jsonl';
}

export function parseHistory(path: string, text: string, format: HistoryFileFormat = detectFormat(path, text)): History {
  return parseWhole(format, text, {});
}

function parseWhole(format: HistoryFileFormat, text: string, options: EdnReadOptions): History {
  switch (format) {
    case 'edn': return parseEdnHistory(text, options);
    case 'jepsen-log': return parseJepsenLog(text, options);
    case 'porcupine-json': return parsePorcupineJson(text);
    case 'jsonl': return parseJsonlHistory(text);
  }
}

function unreadable(path: string, err: unknown): HistoryFormatError {
  const why = err instanceof Error ? err.message : String(err);
  return new HistoryFormatError('UNREADABLE', `cannot read ${path}: ${why}`);
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Feeds whole lines to the JSONL parser; a line may span chunks. */
class JsonlFeed {
  readonly parser = new JsonlHistoryParser();
  private pending: Uint8Array[] = [];
  private lineNo = 0;

  chunk(bytes: Uint8Array): void {
    const lastNewline = bytes.lastIndexOf(10);
    if (lastNewline === -1) {
      this.pending.push(bytes);
      return;
    }
    this.pending.push(bytes.subarray(0, lastNewline));
    this.lines(concat(this.pending));
    this.pending = lastNewline + 1 < bytes.length ? [bytes.subarray(lastNewline + 1)] : [];
  }

  end(): History {
    if (this.pending.length > 0) this.lines(concat(this.pending));
    return this.parser.finish();
  }

  /** Newline bytes are always valid UTF-8, so the decoded text splits where the bytes do. */
  private lines(block: Uint8Array): void {
    const { text, escaped } = decodeLossless(block);
    for (const line of text.split('\n')) this.parser.add(line, ++this.lineNo, escaped && hasEscapedBytes(line));
  }
}

async function readJsonl(chunks: AsyncIterable<Uint8Array>, budget: LoadBudget, sizeBytes: number): Promise<History> {
  const feed = new JsonlFeed();
  let bytesRead = 0;
  for await (const chunk of chunks) {
    bytesRead += chunk.length;
    feed.chunk(chunk);
    checkLoadBudget(budget, bytesRead, sizeBytes);
  }
  return feed.end();
}

/** Formats parsed from the whole text (EDN, Jepsen log, Porcupine JSON). */
async function readWhole(format: HistoryFileFormat, chunks: AsyncIterable<Uint8Array>, budget: LoadBudget, sizeBytes: number): Promise<History> {
  const parts: Uint8Array[] = [];
  let bytesRead = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    bytesRead += chunk.length;
    checkLoadBudget(budget, bytesRead, sizeBytes);
  }
  const { text, escaped } = decodeLossless(concat(parts));
  parts.length = 0;
  checkLoadBudget(budget, bytesRead, sizeBytes);
  if (escaped && format === 'porcupine-json') throw new HistoryFormatError('BAD_BYTES', 'Porcupine JSON must be valid UTF-8');
  return parseWhole(format, text, { escapedBytes: escaped, onProgress: () => checkLoadBudget(budget, bytesRead, sizeBytes) });
}

/** The first chunk, then the rest: the format is decided on the first. */
async function* chunksOf(first: Uint8Array | undefined, rest: AsyncIterator<Uint8Array>): AsyncIterable<Uint8Array> {
  if (first !== undefined) yield first;
  for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
}

/**
 * Reads and validates one file. Throws HistoryFormatError (UNREADABLE when
 * the file cannot be read), or HistoryBudgetError when `budget` runs out
 * while reading or parsing: a file larger than the memory budget is not read.
 */
export async function readHistoryFile(path: string, budget: LoadBudget = NO_LOAD_BUDGET, format?: HistoryFileFormat): Promise<History> {
  let sizeBytes: number;
  try {
    sizeBytes = (await stat(path)).size;
  } catch (err) {
    throw unreadable(path, err);
  }
  if (sizeBytes > budget.maxMemoryBytes) throw new HistoryBudgetError('memory', 0, sizeBytes);
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const source = (async function* () {
    try {
      for await (const chunk of stream) yield chunk as Uint8Array;
    } catch (err) {
      throw unreadable(path, err);
    }
  })();
  try {
    const first = await source.next();
    const head = first.done ? '' : decodeLossless(first.value.subarray(0, 256)).text;
    const chunks = chunksOf(first.done ? undefined : first.value, source);
    const chosen = format ?? detectFormat(path, head);
    return chosen === 'jsonl' ? await readJsonl(chunks, budget, sizeBytes) : await readWhole(chosen, chunks, budget, sizeBytes);
  } finally {
    stream.destroy();
  }
}
