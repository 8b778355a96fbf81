import { describe, expect, it } from 'vitest';
import { parseEndpoint, parseOptions } from './options.ts';

describe('parseOptions', () => {
  it('defaults: getData and setData with 1, 8, 32 sessions, 100-byte values, 1 s + 3 s in 6 rounds, both targets', () => {
    expect(parseOptions([])).toEqual({ warmupMs: 3000, measureMs: 3000, clients: [1, 8, 32], ops: ['getData', 'setData'],
      valueBytes: 100, rounds: 6, targets: ['zooproof', 'apache'], zooproofEndpoint: undefined });
  });

  it('reads lists and numbers, and a running zooproof endpoint', () => {
    const o = parseOptions(['--clients', '2, 4', '--ops', 'setData', '--measure-ms', '500', '--targets', 'zooproof',
      '--zooproof-endpoint', '127.0.0.1:2181']);
    expect(o).toMatchObject({ clients: [2, 4], ops: ['setData'], measureMs: 500, targets: ['zooproof'],
      zooproofEndpoint: { host: '127.0.0.1', port: 2181 } });
  });

  it('refuses unknown ops and targets and non-positive numbers', () => {
    expect(() => parseOptions(['--ops', 'delete'])).toThrow("--ops: unknown op 'delete'");
    expect(() => parseOptions(['--targets', 'etcd'])).toThrow("--targets: unknown target 'etcd'");
    expect(() => parseOptions(['--clients', '0'])).toThrow("--clients: '0' is not a positive integer");
    expect(() => parseOptions(['--rounds', '1.5'])).toThrow("--rounds: '1.5' is not a positive integer");
  });
});

describe('parseEndpoint', () => {
  it('host:port, or an error naming the option', () => {
    expect(parseEndpoint('localhost:12')).toEqual({ host: 'localhost', port: 12 });
    expect(() => parseEndpoint('nope')).toThrow("--zooproof-endpoint: 'nope' is not host:port");
  });
});
