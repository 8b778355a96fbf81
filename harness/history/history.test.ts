import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatEdnHistory, parseEdnHistory } from './edn.ts';
import { HistoryFormatError } from './errors.ts';
import { formatJsonlHistory, parseJsonlHistory } from './jsonl.ts';
import { pairOperations } from './ops.ts';
import { detectFormat, readHistoryFile } from './read.ts';
import { eventSchema, metadataSchema } from './schema.ts';
import { HISTORY_FORMAT } from './types.ts';
import { JsonlHistoryWriter } from './writer.ts';

const META = JSON.stringify({ format: HISTORY_FORMAT });
const ev = (o: Record<string, unknown>) => JSON.stringify({ index: 0, process: 0, type: 'invoke', f: 'read', value: null, time: 0, ...o });

function problem(text: string): HistoryFormatError {
  try {
    parseJsonlHistory(text);
  } catch (err) {
    if (err instanceof HistoryFormatError) return err;
    throw err;
  }
  throw new Error('expected a HistoryFormatError');
}

describe('JSONL histories', () => {
  it('round-trips through format and parse', () => {
    const text = [META, ev({}), ev({ index: 1, type: 'ok', value: 3, time: 5, node: 'n1', session: '0x1a', zxid: 7 })].join('\n');
    const h = parseJsonlHistory(text);
    expect(h.events).toHaveLength(2);
    expect(parseJsonlHistory(formatJsonlHistory(h))).toEqual(h);
  });

  it.each([
    ['not JSON', [META, '{"index": 0,'], 2, 'not valid JSON'],
    ['missing field', [META, JSON.stringify({ index: 0, process: 0, type: 'invoke', f: 'read', time: 0 })], 2, "missing required field 'value'"],
    ['bad type', [META, ev({ type: 'done' })], 2, "'type' must be one of"],
    ['unknown field', [META, ev({ colour: 'red' })], 2, "unknown field 'colour'"],
    ['bad session', [META, ev({ session: '42' })], 2, "'session' must be a hex string"],
    ['negative time', [META, ev({ time: -1 })], 2, "'time' must be a non-negative integer"],
    ['no metadata', [ev({})], 1, 'the first line must be run metadata'],
    ['index not increasing', [META, ev({}), ev({ index: 0, type: 'ok' })], 3, 'index 0 does not increase'],
    ['time going back', [META, ev({ time: 9 }), ev({ index: 1, type: 'ok', time: 3 })], 3, 'time 3 goes backwards'],
    ['double invoke', [META, ev({}), ev({ index: 1 })], 3, "process 0 invokes 'read' while its 'read' (index 0) is still pending"],
    ['completion without invoke', [META, ev({ type: 'ok' })], 2, 'has no pending invoke'],
    ['completion of another f', [META, ev({}), ev({ index: 1, type: 'ok', f: 'write' })], 3, "its pending operation is 'read'"],
  ])('rejects %s with its line number', (_name, lines, line, message) => {
    const err = problem(lines.join('\n'));
    expect(err.line).toBe(line);
    expect(err.message).toContain(`line ${line}: `);
    expect(err.message).toContain(message);
  });

  it('counts line numbers across blank lines', () => {
    expect(problem([META, '', ev({}), '', '{oops'].join('\n')).line).toBe(5);
  });

  it('pairs invokes with completions; an unfinished invoke is info; notifications stand alone', () => {
    const h = parseJsonlHistory([META, ev({}), ev({ index: 1, process: 1, f: 'write', value: 2 }),
      ev({ index: 2, type: 'ok', value: 5, zxid: 9 }),
      ev({ index: 3, process: 2, type: 'ok', f: 'watch-event', value: { path: '/a' }, session: '0x1' })].join('\n'));
    const { operations, notifications } = pairOperations(h.events);
    expect(operations.map((o) => [o.f, o.status, o.output, o.completeIndex, o.zxid])).toEqual([
      ['read', 'ok', 5, 2, 9], ['write', 'info', undefined, Infinity, undefined]]);
    expect(notifications.map((n) => n.event.f)).toEqual(['watch-event']);
  });

  it('documents every field the validator accepts', () => {
    expect(eventSchema.required).toEqual(['index', 'process', 'type', 'f', 'value', 'time']);
    expect(Object.keys(eventSchema.properties)).toEqual(['index', 'process', 'type', 'f', 'value', 'time', 'key', 'node', 'session', 'zxid', 'error']);
    expect(metadataSchema.required).toEqual(['format']);
  });

  it('streams a history with the writer and reads it back', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'zooproof-history-')), 'h.jsonl');
    const w = new JsonlHistoryWriter(path, { format: HISTORY_FORMAT, seed: 1 });
    w.append({ process: 0, type: 'invoke', f: 'write', value: 1, time: 10 });
    w.append({ process: 0, type: 'ok', f: 'write', value: 1, time: 20, zxid: 4 });
    expect(() => w.append({ process: 1, type: 'invoke', f: 'read', value: null, time: 5 })).toThrow(RangeError);
    await w.close();
    const h = await readHistoryFile(path);
    expect(h.events.map((e) => e.index)).toEqual([0, 1]);
    expect(readFileSync(path, 'utf8').split('\n')[2]).toBe('{"index":1,"process":0,"type":"ok","f":"write","value":1,"time":20,"zxid":4}');
  });

  it('reports an unreadable file as UNREADABLE', async () => {
    await expect(readHistoryFile('/nonexistent/h.jsonl')).rejects.toMatchObject({ code: 'UNREADABLE' });
  });
});

describe('Jepsen EDN histories', () => {
  const knossosStyle = `[{:process 0, :type :invoke, :f :write, :value 3}
 {:process 1, :type :invoke, :f :cas, :value [3 4]}
 {:process 0, :type :ok, :f :write, :value 3}
 {:process 1, :type :fail, :f :cas, :value [3 4]}
 {:process :nemesis, :type :info, :f :start, :value nil}
 {:process 2, :type :invoke, :f :read, :value nil} ; a comment
 {:process 2, :type :ok, :f :read, :value 3}]`;

  it('imports Knossos-style op maps (a vector, no :index or :time)', () => {
    const h = parseEdnHistory(knossosStyle);
    expect(h.events.map((e) => [e.index, e.process, e.type, e.f, e.value])).toEqual([
      [0, 0, 'invoke', 'write', 3], [1, 1, 'invoke', 'cas', [3, 4]], [2, 0, 'ok', 'write', 3], [3, 1, 'fail', 'cas', [3, 4]],
      [4, 'nemesis', 'info', 'start', null], [5, 2, 'invoke', 'read', null], [6, 2, 'ok', 'read', 3]]);
  });

  it('imports Jepsen history.edn lines with :index, :time, :error and independent tuples', () => {
    const text = `{:type :invoke, :f :write, :value #jepsen.independent.Tuple {:key 7, :value 2}, :process 0, :time 100, :index 0}
{:type :info, :f :write, :value #jepsen.independent.Tuple {:key 7, :value 2}, :process 0, :time 250, :index 1, :error :timeout}`;
    const h = parseEdnHistory(text);
    expect(h.events[1]).toEqual({ index: 1, process: 0, type: 'info', f: 'write', value: 2, time: 250, key: 7, error: '"timeout"' });
  });

  it('exports to EDN that imports back to the same events', () => {
    const h = parseEdnHistory(knossosStyle);
    const again = parseEdnHistory(formatEdnHistory(h));
    expect(again.events).toEqual(h.events);
    expect(formatEdnHistory(h).split('\n')[1]).toBe('{:index 1, :type :invoke, :process 1, :f :cas, :value [3 4], :time 1}');
  });

  it('exports objects as maps with keyword keys', () => {
    const text = formatEdnHistory({ meta: { format: HISTORY_FORMAT }, events: [
      { index: 0, process: 0, type: 'invoke', f: 'setData', value: { path: '/r', data: 'a b', version: -1 }, time: 0, key: '/r' }] });
    expect(text).toBe('{:index 0, :type :invoke, :process 0, :f :setData, :value {:path "/r", :data "a b", :version -1}, :time 0, :key "/r"}\n');
  });

  it('reports malformed EDN with a line number', () => {
    expect(() => parseEdnHistory('{:process 0, :type :invoke\n :f :read :value [1 2}')).toThrow(/line 2/);
    expect(() => parseEdnHistory('{:process 0, :type :begin, :f :read}')).toThrow(/:type must be/);
  });

  it('detects the format by extension, then by content', () => {
    expect(detectFormat('h.edn', '')).toBe('edn');
    expect(detectFormat('h.jsonl', '[')).toBe('jsonl');
    expect(detectFormat('history', '{:type :invoke}')).toBe('edn');
    expect(detectFormat('history', '{"format":1}')).toBe('jsonl');
  });
});

describe('EDN read semantics', () => {
  it('imports an :ok :read of nil as a read of unknown outcome (info), as Knossos reads it', () => {
    const h = parseEdnHistory('{:process 0, :type :invoke, :f :read, :value nil}\n{:process 0, :type :ok, :f :read, :value nil}');
    expect(h.events[1]!.type).toBe('info');
  });
});

describe('docs/history.md', () => {
  it('prints the schemas the validator enforces', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/history.md'), 'utf8');
    expect(doc).toContain(JSON.stringify(metadataSchema, null, 2));
    expect(doc).toContain(JSON.stringify(eventSchema, null, 2));
  });
});
