import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonlHistory } from '../../history/jsonl.ts';
import type { Operation } from '../../history/types.ts';
import { checkInput } from '../compose.ts';
import { checkersNamed } from '../registry.ts';
import { UNLIMITED } from '../types.ts';
import { checkTtl } from './ttl.ts';
import { offsetRange, offsetSpans } from './ttl-clocks.ts';

const dir = join(import.meta.dirname, 'ttl-fixtures');

function fixture(name: string) {
  return checkInput(parseJsonlHistory(readFileSync(join(dir, `${name}.jsonl`), 'utf8')));
}

describe('ttl checker on fixtures', () => {
  const cases: [string, 'valid' | 'invalid', string][] = [
    ['ttl-valid', 'valid', '1 nodes, 1 seen expired, none gone young, none overdue; 0 expired early because of a clock bump'],
    ['ttl-gone-young', 'invalid', '1 gone while younger than its TTL'],
    ['ttl-clock-bump', 'valid', '1 expired early because of a clock bump'],
    ['ttl-gone-young-after-heal', 'invalid', '1 gone while younger than its TTL'],
    ['ttl-not-expired', 'invalid', '1 not expired long after its TTL'],
    ['ttl-touch-races-expiry', 'valid', 'none gone young'],
  ];
  for (const [name, verdict, summary] of cases) {
    it(`${name}: ${verdict}`, () => {
      const r = checkTtl(fixture(name));
      expect(r.verdict).toBe(verdict);
      expect(r.summary).toContain(summary);
    });
  }

  it('names the evidence of a young deletion', () => {
    const r = checkTtl(fixture('ttl-gone-young'));
    expect((r.details as { goneWhileYoung: unknown[] }).goneWhileYoung).toEqual([
      { path: '/zooproof/ttl/t-0-0', ttlMs: 5000, ageMs: 2005, clockSpreadMs: 0, lastWriteIndex: 0, goneIndex: 5, goneBy: 'a synced exists found no node' },
    ]);
  });

  it('is registered as `ttl`', () => {
    const [checker] = checkersNamed('ttl');
    expect(checker!.check(fixture('ttl-gone-young'), UNLIMITED).verdict).toBe('invalid');
  });

  it('says unknown when no TTL node was created', () => {
    expect(checkTtl(checkInput({ meta: { format: 'zooproof-history/1' }, events: [] })).verdict).toBe('unknown');
  });

  it('a touch counts once a sighting shows the deleting scan came after it: a deletion 1.5 s after it is flagged', () => {
    // ttl-touch-races-expiry, but the node is still seen 1.3 s after the touch and gone 1.5 s after it:
    // the delete came after 3.4 s, so its scan after 2.4 s, after the touch's ack (2.11 s).
    const input = fixture('ttl-touch-races-expiry');
    const [invoke, absent] = input.history.events.slice(-2);
    const present = input.history.events.slice(2, 4);
    const events = [...input.history.events.slice(0, -2),
      { ...present[0]!, time: 3400e6 }, { ...present[1]!, time: 3405e6 }, { ...invoke!, time: 3600e6 }, { ...absent!, time: 3605e6 }]
      .map((e, index) => ({ ...e, index }));
    const r = checkTtl(checkInput({ ...input.history, events }));
    expect(r.verdict).toBe('invalid');
    expect(r.summary).toContain('1 gone while younger than its TTL');
    expect(checkTtl(input).verdict).toBe('valid');
  });
});

function clockOp(id: number, f: string, input: unknown, output: unknown, fromMs: number, toMs: number, status: Operation['status'] = 'ok'): Operation {
  return { id, process: 'nemesis', f, input, output, status, invokeIndex: id * 2, completeIndex: id * 2 + 1,
    invokeTimeNs: fromMs * 1e6, completeTimeNs: status === 'info' ? Infinity : toMs * 1e6 };
}

describe('clock offsets from nemesis ops', () => {
  const nodes = ['n1', 'n2', 'n3'];
  const ms = (x: number) => x * 1e6;

  it('a bump is possible from its invoke, the old offset until its completion plus the lag', () => {
    const spans = offsetSpans([clockOp(0, 'bump-clock', { nodes: ['n1'], deltaMs: 5000 }, { nodes: ['n1'] }, 1000, 1010),
      clockOp(1, 'reset-clock', { nodes: ['n1'] }, { nodes: ['n1'] }, 5000, 5010)], nodes, 1000);
    expect(offsetRange(spans, ms(0), ms(900))).toEqual({ minMs: 0, maxMs: 0 });
    expect(offsetRange(spans, ms(1000), ms(1000))).toEqual({ minMs: 0, maxMs: 5000 });
    expect(offsetRange(spans, ms(3000), ms(4000))).toEqual({ minMs: 0, maxMs: 5000 }); // n2, n3 stay at 0
    expect(offsetRange(spans, ms(6011), ms(9000))).toEqual({ minMs: 0, maxMs: 0 });
  });

  it('bumps add up, and an info bump leaves both offsets possible for good', () => {
    const spans = offsetSpans([clockOp(0, 'bump-clock', { nodes: ['n1', 'n2', 'n3'], deltaMs: -5000 }, null, 0, 10),
      clockOp(1, 'bump-clock', { nodes: ['n1', 'n2', 'n3'], deltaMs: -5000 }, null, 100, 0, 'info')], nodes, 0);
    expect(offsetRange(spans, ms(50), ms(60))).toEqual({ minMs: -5000, maxMs: -5000 });
    expect(offsetRange(spans, ms(10_000), ms(20_000))).toEqual({ minMs: -10_000, maxMs: -5000 });
  });

  it('a bump without node names (target resolved by the nemesis) hits every server', () => {
    const spans = offsetSpans([clockOp(0, 'bump-clock', { target: 'leader', deltaMs: 300_000 }, { nodes: ['n2'], deltaMs: 300_000 }, 0, 10)], nodes, 0);
    expect(offsetRange(spans, ms(100), ms(200))).toEqual({ minMs: 0, maxMs: 300_000 });
    const unknown = offsetSpans([clockOp(0, 'bump-clock', { target: 'leader', deltaMs: 300_000 }, null, 0, 0, 'info')], [], 0);
    expect(offsetRange(unknown, ms(100), ms(200))).toEqual({ minMs: 0, maxMs: 300_000 }); // no server known by name: a stand-in moves
  });

  it('a fast clock drifts ahead until reset', () => {
    const spans = offsetSpans([clockOp(0, 'clock-rate', { nodes: ['n1'], rate: 2 }, null, 0, 0),
      clockOp(1, 'reset-clock', null, null, 10_000, 10_000)], ['n1'], 0);
    expect(offsetRange(spans, ms(1000), ms(3000))).toEqual({ minMs: 1000, maxMs: 3000 });
    expect(offsetRange(spans, ms(20_000), ms(30_000))).toEqual({ minMs: 0, maxMs: 0 });
  });
});
