import { describe, expect, it } from 'vitest';
import { HostProvider, shuffle } from './host-provider.ts';

const hosts = [1, 2, 3].map((n) => ({ host: `h${n}`, port: n }));

describe('HostProvider', () => {
  it('shuffles once with the injected Rng, then goes round-robin', () => {
    const p = new HostProvider(hosts, () => 0);
    // rng 0: every step swaps position i with 0.
    expect(p.order.map((e) => e.host)).toEqual(['h2', 'h3', 'h1']);
    expect([p.next(), p.next(), p.next(), p.next()].map((e) => e.host)).toEqual(['h2', 'h3', 'h1', 'h2']);
  });

  it('reports a completed round until a connection succeeds', () => {
    const p = new HostProvider(hosts, () => 0.5);
    p.next();
    p.next();
    expect(p.cycleCompleted).toBe(false);
    p.next();
    expect(p.cycleCompleted).toBe(true);
    p.onConnected();
    expect(p.cycleCompleted).toBe(false);
  });

  it('shuffle keeps every element and leaves its input alone', () => {
    const input = [1, 2, 3, 4, 5];
    let seed = 7;
    const rng = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const out = shuffle(input, rng);
    expect([...out].sort()).toEqual(input);
    expect(input).toEqual([1, 2, 3, 4, 5]);
  });
});
