// The discovery checker on the handshake lines of real runs of the
// interrupted-discovery scenario (seed 1): the correct server, and the two
// planted epoch bugs it must catch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDiscovery, parseDiscoveryLog, type DiscoveryFinding } from './index.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const run = (name: string) => checkDiscovery(['n1', 'n2', 'n3'].map((node) =>
  ({ node, events: parseDiscoveryLog(readFileSync(join(FIXTURES, `${name}-${node}.txt`), 'utf8')) })));
const codes = (name: string) => (run(name).details as { findings: DiscoveryFinding[] }).findings.map((f) => `${f.node} ${f.code}`);

describe('zab-discovery on recorded runs', () => {
  it('the correct server keeps every invariant', () => {
    expect(run('correct').verdict).toBe('valid');
  });

  it('accepted-epoch-not-persisted: restarted servers forget their promises', () => {
    expect(run('accepted-epoch-not-persisted').verdict).toBe('invalid');
    expect(codes('accepted-epoch-not-persisted')).toContain('n1 PROMISE_FORGOTTEN');
  });

  it('equal-epoch-proposal: a leader proposes an epoch a server already accepted', () => {
    expect(codes('equal-epoch-proposal')).toEqual(['n3 EPOCH_NOT_ABOVE_PROMISES']);
  });
});
