import { describe, expect, it } from 'vitest';
import { TruncationGate } from './truncation-gate.ts';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

describe('TruncationGate', () => {
  it('reads run together; a truncation waits for them, and later reads wait for it', async () => {
    const gate = new TruncationGate();
    const order: string[] = [];
    const r1 = deferred();
    const r2 = deferred();
    const t = deferred();
    const read1 = gate.shared(async () => { order.push('read1 start'); await r1.promise; order.push('read1 end'); });
    const read2 = gate.shared(async () => { order.push('read2 start'); await r2.promise; order.push('read2 end'); });
    const trunc = gate.exclusive(async () => { order.push('trunc start'); await t.promise; order.push('trunc end'); });
    const read3 = gate.shared(async () => { order.push('read3'); });
    await Promise.resolve();
    expect(gate.activeReaders).toBe(2);
    r1.resolve();
    await read1;
    expect(order).not.toContain('trunc start');
    r2.resolve();
    await read2;
    await new Promise((r) => setImmediate(r));
    expect(order.at(-1)).toBe('trunc start');
    expect(order).not.toContain('read3');
    t.resolve();
    await Promise.all([trunc, read3]);
    expect(order).toEqual(['read1 start', 'read2 start', 'read1 end', 'read2 end', 'trunc start', 'trunc end', 'read3']);
  });

  it('a failed read or truncation releases the gate', async () => {
    const gate = new TruncationGate();
    await expect(gate.shared(async () => { throw new Error('read failed'); })).rejects.toThrow('read failed');
    await expect(gate.exclusive(async () => { throw new Error('cut failed'); })).rejects.toThrow('cut failed');
    expect(await gate.shared(async () => 7)).toBe(7);
    expect(await gate.exclusive(async () => 8)).toBe(8);
    expect(gate.activeReaders).toBe(0);
  });
});
