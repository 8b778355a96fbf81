// Reads a history file (the only I/O in harness/history besides the writer):
// JSONL or Jepsen EDN, chosen by extension, else by the first character.
import { readFile } from 'node:fs/promises';
import { parseEdnHistory } from './edn.ts';
import { HistoryFormatError } from './errors.ts';
import { parseJsonlHistory } from './jsonl.ts';
import type { History } from './types.ts';

export type HistoryFileFormat = 'jsonl' | 'edn';

/** `.edn` -> EDN; `.jsonl`/`.json` -> JSONL; otherwise EDN if the text starts with `{:`, `[` or `;`. */
export function detectFormat(path: string, text: string): HistoryFileFormat {
  if (/\.edn$/i.test(path)) return 'edn';
  if (/\.jsonl?$/i.test(path) || /\.ndjson$/i.test(path)) return 'jsonl';
  const start = text.trimStart();
  return start.startsWith('{:') || start.startsWith('[') || start.startsWith(';') ? 'edn' : 'jsonl';
}

export function parseHistory(path: string, text: string): History {
  return detectFormat(path, text) === 'edn' ? parseEdnHistory(text) : parseJsonlHistory(text);
}

/** Reads and validates one file. Throws HistoryFormatError (UNREADABLE when the file cannot be read). */
export async function readHistoryFile(path: string): Promise<History> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new HistoryFormatError('UNREADABLE', `cannot read ${path}: ${why}`);
  }
  return parseHistory(path, text);
}
