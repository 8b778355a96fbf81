// Jepsen text logs, Porcupine JSON operations, EDN's top-level :key, and
// which format a file is taken to be.
import { describe, expect, it } from 'vitest';
import { parseEdnHistory } from './edn.ts';
import { looksLikeJepsenLog, parseJepsenLog } from './jepsen-log.ts';
import { pairOperations } from './ops.ts';
import { looksLikePorcupineJson, parsePorcupineJson } from './porcupine-json.ts';
import { detectFormat, parseHistory } from './read.ts';

const log = (rows: string[]) => rows.map((r) => `INFO  jepsen.util - ${r}`).join('\n');

describe('Jepsen text log', () => {
  it('reads process, type, f and value; nil reads are reads of nothing; keyword values of fail/info are errors', () => {
    const h = parseJepsenLog([
      'INFO  jepsen.core - Running test',
      log(['0\t:invoke\t:read\tnil', '0\t:ok\t:read\tnil', '1 :invoke :cas [1 2]', '1   :fail   :cas   [1 2]']),
      log(['2\t:invoke\t:write\t3', '2\t:info\t:write\t:timed-out', '3\t:invoke\t:write\t{:a "b"}', ':nemesis :info :start nil']),
    ].join('\n'));
    expect(h.events.map((e) => [e.process, e.type, e.f, e.value, e.error])).toEqual([
      [0, 'invoke', 'read', null, undefined], [0, 'ok', 'read', null, undefined],
      [1, 'invoke', 'cas', [1, 2], undefined], [1, 'fail', 'cas', [1, 2], undefined],
      [2, 'invoke', 'write', 3, undefined], [2, 'info', 'write', null, 'timed-out'],
      [3, 'invoke', 'write', { a: 'b' }, undefined], ['nemesis', 'info', 'start', null, undefined],
    ]);
    const { operations } = pairOperations(h.events);
    expect(operations.map((o) => [o.f, o.status, o.output])).toEqual([['read', 'ok', null], ['cas', 'fail', [1, 2]], ['write', 'info', undefined], ['write', 'info', undefined]]);
  });

  it('refuses a log with no operation lines, a bad value, and a broken sequence, with the line number', () => {
    expect(() => parseJepsenLog('INFO  jepsen.core - hello\n')).toThrow(/no Jepsen log lines/);
    expect(() => parseJepsenLog(log(['0 :invoke :write [1 2']))).toThrow(/line 1: missing '\]'/);
    expect(() => parseJepsenLog(log(['0 :invoke :write 1', '0 :invoke :write 2']))).toThrow(/line 2: process 0 invokes 'write' while/);
  });

  it('is recognised by its first line', () => {
    expect(looksLikeJepsenLog('INFO  jepsen.util - 3\t:invoke\t:read\tnil\n')).toBe(true);
    expect(looksLikeJepsenLog('{:process 0, :type :invoke}')).toBe(false);
  });
});

describe('Porcupine JSON operations', () => {
  const ops = [
    { ClientId: 0, Input: { f: 'write', value: 1 }, Call: 0, Output: null, Return: 10 },
    { ClientId: 0, Input: { op: 'read', key: 'k' }, Call: 10, Output: 1, Return: 20 },
    { ClientId: 1, Input: { f: 'read' }, Call: 10, Output: 0, Return: 15, Status: 'fail' },
    { ClientId: 2, Input: { f: 'write', value: 2 }, Call: 12 },
  ];

  it('orders calls and returns by time (calls first, but a client\'s return before its next call) and pairs them', () => {
    const h = parsePorcupineJson(JSON.stringify(ops));
    expect(h.events.map((e) => `${e.process}:${e.type}:${e.f}@${e.time}`)).toEqual([
      '0:invoke:write@0', '0:ok:write@10', '0:invoke:read@10', '1:invoke:read@10', '2:invoke:write@12', '2:info:write@12', '1:fail:read@15', '0:ok:read@20']);
    const { operations } = pairOperations(h.events);
    expect(operations.map((o) => [o.f, o.status, o.input, o.output, o.key])).toEqual([
      ['write', 'ok', 1, null, undefined], ['read', 'ok', null, 1, 'k'], ['read', 'fail', null, null, undefined], ['write', 'info', 2, undefined, undefined]]);
  });

  it('reads one object per line the same as an array', () => {
    expect(parsePorcupineJson(ops.map((o) => JSON.stringify(o)).join('\n')).events).toEqual(parsePorcupineJson(JSON.stringify(ops)).events);
  });

  it('refuses operations it cannot place, naming the operation', () => {
    expect(() => parsePorcupineJson('[{"ClientId":0,"Input":{"f":"read"},"Call":5,"Return":3}]')).toThrow(/operation 0: Return must be an integer not before Call/);
    expect(() => parsePorcupineJson('[{"ClientId":0,"Input":3,"Call":0,"Return":1}]')).toThrow(/Input must be an object with a string "f"/);
    expect(() => parsePorcupineJson('{"ClientId":-1,"Input":{"f":"r"},"Call":0}')).toThrow(/line 1: operation 0: ClientId/);
    expect(() => parsePorcupineJson('[{"ClientId":0,')).toThrow(/not valid JSON/);
  });

  it('is told from zooproof JSONL and from EDN', () => {
    expect(looksLikePorcupineJson('[{"ClientId": 0')).toBe(true);
    expect(looksLikePorcupineJson('{"ClientId":0,"Input":{}}')).toBe(true);
    expect(looksLikePorcupineJson('{"format":"zooproof-history/1"}')).toBe(false);
    expect(looksLikePorcupineJson('[{:process 0')).toBe(false);
  });
});

describe('format detection', () => {
  it('goes by content where it is unambiguous, then by extension', () => {
    expect(detectFormat('x.edn', 'INFO  jepsen.util - 0 :invoke :read nil')).toBe('jepsen-log');
    expect(detectFormat('x.json', '[{"ClientId":0}]')).toBe('porcupine-json');
    expect(detectFormat('x.txt', '{:process 0, :type :invoke}')).toBe('edn');
    expect(detectFormat('x.json', '{"format":"zooproof-history/1"}')).toBe('jsonl');
  });

  it('parseHistory takes a forced format', () => {
    expect(() => parseHistory('x.jsonl', '{:process 0, :type :invoke, :f :read, :value nil}', 'jsonl')).toThrow(/not valid JSON/);
    expect(parseHistory('x.jsonl', '{:process 0, :type :invoke, :f :read, :value nil}', 'edn').events).toHaveLength(1);
  });
});

describe('EDN top-level :key', () => {
  it('becomes the event key, as Porcupine\'s kv histories write it; an independent tuple still wins', () => {
    const h = parseEdnHistory('{:process 0, :type :invoke, :f :get, :key "5", :value nil}\n{:process 0, :type :ok, :f :get, :key "5", :value "x"}\n'
      + '{:process 1, :type :invoke, :f :write, :key 9, :value #jepsen.independent.Tuple [3 1]}');
    expect(h.events.map((e) => [e.key, e.value])).toEqual([['5', null], ['5', 'x'], [3, 1]]);
  });
});
