// Reading history files: exact bytes end to end, nesting refused before it
// costs anything, and the budget counting while the file loads.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatEdnHistory, parseEdnHistory } from './edn.ts';
import { HistoryBudgetError, HistoryFormatError } from './errors.ts';
import { formatJsonlHistory, parseJsonlHistory } from './jsonl.ts';
import type { LoadBudget } from './limits.ts';
import { readHistoryFile } from './read.ts';
import { HISTORY_FORMAT } from './types.ts';

const META = JSON.stringify({ format: HISTORY_FORMAT });
const dir = mkdtempSync(join(tmpdir(), 'zooproof-read-'));
const latin1 = (s: string) => Buffer.from(s, 'latin1');

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function refusal(path: string, budget?: LoadBudget): Promise<HistoryFormatError | HistoryBudgetError> {
  try {
    await readHistoryFile(path, budget);
  } catch (err) {
    if (err instanceof HistoryFormatError || err instanceof HistoryBudgetError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const writeRead = (written: string, read: string) => latin1([META,
  `{"index":0,"process":0,"type":"invoke","f":"write","value":"${written}","time":0}`,
  `{"index":1,"process":0,"type":"ok","f":"write","value":"${written}","time":1}`,
  '{"index":2,"process":1,"type":"invoke","f":"read","value":null,"time":2}',
  `{"index":3,"process":1,"type":"ok","f":"read","value":"${read}","time":3}`].join('\n'));

describe('exact bytes', () => {
  it('reads raw invalid UTF-8 in JSONL strings as the exact bytes', async () => {
    const h = await readHistoryFile(file('raw.jsonl', writeRead('a\xffb', 'a\xfeb')));
    expect(h.events.map((e) => e.value)).toEqual([{ b64: 'Yf9i' }, { b64: 'Yf9i' }, null, { b64: 'Yf5i' }]);
    const text = formatJsonlHistory(h);
    expect(parseJsonlHistory(text)).toEqual(h); // our own JSONL keeps them
    expect(parseEdnHistory(formatEdnHistory(h)).events.map((e) => e.value)).toEqual(h.events.map((e) => e.value));
  });

  it('reads raw invalid UTF-8 in EDN strings as the exact bytes', async () => {
    const h = await readHistoryFile(join(import.meta.dirname, '../checker/fixtures/register-bytes-differ-raw.edn'));
    expect(h.events.map((e) => e.value)).toEqual([{ b64: 'Yf9i' }, { b64: 'Yf9i' }, null, { b64: 'Yf5i' }]);
  });

  it('canonicalises {b64} values on load and refuses what is not base64', async () => {
    const h = await readHistoryFile(file('b64.jsonl', `${META}\n{"index":0,"process":0,"type":"invoke","f":"write","value":[{"b64":"w6k="}],"time":0}\n`));
    expect(h.events[0]!.value).toEqual(['é']);
    const bad = await refusal(file('bad-b64.jsonl', `${META}\n{"index":0,"process":0,"type":"invoke","f":"write","value":{"b64":"w6k"},"time":0}\n`));
    expect([bad.code, bad.message]).toEqual(['BAD_BYTES', expect.stringMatching(/^line 2: \{"b64": …\} must hold padded standard base64/)]);
    const mixed = await refusal(file('mixed.jsonl', Buffer.concat([latin1(`${META}\n{"index":0,"process":0,"type":"invoke","f":"write","value":"\\ud800`), latin1('\xff"'), latin1(',"time":0}')])));
    expect(mixed.code).toBe('BAD_BYTES');
  });

  it('keeps a key named __proto__ as data (JSONL with bytes under it, EDN)', async () => {
    const h = await readHistoryFile(file('proto.jsonl', Buffer.concat([latin1(`${META}\n{"index":0,"process":0,"type":"invoke","f":"write","value":{"__proto__":"\xff"},"time":0}\n`)])));
    expect(Object.getOwnPropertyDescriptor(h.events[0]!.value, '__proto__')?.value).toEqual({ b64: '/w==' });
    const e = parseEdnHistory('{:process 0, :type :invoke, :f :write, :value {:__proto__ 1}}');
    expect(Object.keys(e.events[0]!.value as object)).toEqual(['__proto__']);
  });

  it('keeps a multi-byte character and a line whole across read chunks', async () => {
    const big = 'é'.repeat(700_000); // 1.4 MB: the 1 MiB chunk boundary falls inside it
    const path = file('chunks.jsonl', `${META}\n{"index":0,"process":0,"type":"invoke","f":"write","value":"${big}","time":0}\n`
      + '{"index":1,"process":0,"type":"ok","f":"write","value":1,"time":0}\n');
    const h = await readHistoryFile(path);
    expect(h.events[0]!.value).toBe(big);
    await expect(readHistoryFile(file('chunks2.jsonl', `${META}\n${'\n'.repeat(1 << 20)}{"oops`))).rejects.toThrow(`line ${(1 << 20) + 2}: not valid JSON`);
  });
});

describe('nesting', () => {
  it('refuses JSONL values nested past the bound before parsing them', async () => {
    const e = await refusal(file('deep.jsonl', `${META}\n${'['.repeat(2_000_000)}\n`));
    expect([e.code, e.message]).toEqual(['TOO_DEEP', 'line 2: values nest deeper than 1000 levels: refused']);
    const line = (n: number) => `{"index":0,"process":0,"type":"invoke","f":"write","value":${'['.repeat(n)}"[[[{{"${']'.repeat(n)},"time":0}`;
    await expect(readHistoryFile(file('edge.jsonl', `${META}\n${line(999)}\n`))).resolves.toBeDefined(); // 1000 levels with the event
    expect(await refusal(file('edge2.jsonl', `${META}\n${line(1000)}\n`))).toMatchObject({ code: 'TOO_DEEP' });
  });

  it('refuses deep EDN with TOO_DEEP, not a stack overflow', async () => {
    const e = await refusal(join(import.meta.dirname, '../checker/fixtures/deep-nesting.edn'));
    expect([e.code, e.message]).toEqual(['TOO_DEEP', 'line 1: values nest deeper than 1000 levels: refused']);
  });
});

describe('the budget covers loading', () => {
  const lines = (n: number) => [META, ...Array.from({ length: n }, (_, i) =>
    `{"index":${i},"process":${i},"type":"invoke","f":"write","value":${i},"time":0}`)].join('\n');
  const path = file('many.jsonl', lines(60_000)); // 4.7 MB: five chunks
  const ednPath = file('many.edn', Array.from({ length: 60_000 }, (_, i) => `{:process ${i}, :type :invoke, :f :write, :value ${i}}`).join('\n'));
  /** A clock that ticks once per look, and a memory probe reporting `memory`. */
  const budget = (deadline: number, memory = 0, maxMemoryBytes = Infinity): LoadBudget => {
    let t = 0;
    return { now: () => t++, deadlineMs: deadline, maxMemoryBytes, memoryUsedBytes: () => memory };
  };

  it('stops with a timeout partway through a JSONL file', async () => {
    const e = await refusal(path, budget(1));
    expect(e).toBeInstanceOf(HistoryBudgetError);
    expect(e).toMatchObject({ reason: 'timeout', bytesRead: 3 << 20 });
    expect(e.message).toBe('time budget exhausted while loading the history (after 3.0 of 4.7 MB read)');
  });

  it('stops with a timeout while parsing EDN', async () => {
    const e = await refusal(ednPath, budget(3));
    expect(e).toMatchObject({ reason: 'timeout' });
  });

  it('stops when memory in use passes the budget, and does not open a file larger than it', async () => {
    expect(await refusal(path, budget(Infinity, 2 ** 30, 2 ** 29))).toMatchObject({ reason: 'memory', bytesRead: 1 << 20 });
    const e = await refusal(path, budget(Infinity, 0, 2 ** 20));
    expect(e).toMatchObject({ reason: 'memory', bytesRead: 0 });
    expect(e.message).toBe('memory budget exhausted while loading the history (after 0.0 of 4.7 MB read)');
    await expect(readHistoryFile(path, budget(Infinity, 2 ** 20, 2 ** 30))).resolves.toMatchObject({ events: { length: 60_000 } });
  });
});
