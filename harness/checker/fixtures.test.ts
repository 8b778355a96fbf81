// Every hand-written fixture, checked by the model or checker named in its
// metadata line, must get the expected verdict and explanation.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonlHistory } from '../history/jsonl.ts';
import { checkInput, compose } from './compose.ts';
import { checkersNamed } from './registry.ts';
import { UNLIMITED, type Verdict } from './types.ts';

const dir = join(import.meta.dirname, 'fixtures');

const expected: Record<string, [Verdict, string]> = {
  'register-valid': ['valid', 'linearizable'],
  'register-stale-read': ['invalid', 'cannot linearize read(null) -> 1'],
  'register-bytes-differ': ['invalid', 'cannot linearize read(null) -> {"b64":"Yf5i"}'],
  'register-bytes-same': ['valid', 'linearizable'],
  'cas-register-valid': ['valid', 'linearizable'],
  'cas-register-lost-update': ['invalid', 'cannot linearize cas([0,2])'],
  'znode-valid': ['valid', '2 partition(s)'],
  'znode-lost-update': ['invalid', 'not linearizable "/r"'],
  'set-model-valid': ['valid', 'linearizable'],
  'set-model-lost': ['invalid', 'cannot linearize read(null) -> [2]'],
  'queue-model-valid': ['valid', 'linearizable'],
  'queue-model-duplicate-dequeue': ['invalid', 'dequeue(null) -> "a"'],
  'mutex-valid': ['valid', 'linearizable'],
  'mutex-double-holder': ['invalid', 'cannot linearize acquire'],
  'set-workload-valid': ['valid', '1 indeterminate adds recovered'],
  'set-workload-anomalies': ['invalid', '1 lost, 1 unexpected, 1 duplicated'],
  'queue-workload-valid': ['valid', 'none lost'],
  'queue-workload-duplicate-dequeue': ['invalid', '1 dequeued twice, 1 lost'],
  'lock-valid': ['valid', 'never two at once'],
  'lock-double-holder': ['invalid', '1 double holder'],
  'lock-expired-holder': ['valid', 'never two at once'],
  'watch-valid': ['valid', '2 events delivered'],
  'watch-missed': ['invalid', '1 missed'],
  'watch-duplicate': ['invalid', '1 duplicate'],
  'watch-reordered': ['invalid', '1 reordered'],
  'watch-invented': ['invalid', '1 invented'],
  'watch-nonode-sets-no-watch': ['valid', '0 events delivered'],
  'watch-event-recorded-after-reply': ['valid', '2 events delivered'],
  'watch-event-before-reply': ['valid', '1 events delivered'],
  'session-valid': ['valid', 'no ephemeral outlived'],
  'session-ephemeral-after-expiry': ['invalid', 'ephemeral /e of session 0x1 still visible (read at index 6) after it was certainly gone at index 5 (a read (index 4) showed it gone)'],
  'session-visible-after-close': ['invalid', 'after it was certainly gone at index 3 (its session\'s close was acked)'],
  'session-expiry-seen-before-close': ['valid', '1 seen expired, no ephemeral outlived'],
  'convergence-valid': ['valid', '3 servers'],
  'convergence-diverged': ['invalid', 'n3 differs from n1'],
  'zk-sequential-stale-read': ['valid', '1 stale read(s))'],
  'zk-sequential-stale-after-sync': ['valid', '1 after sync()'],
  'zk-sequential-went-back': ['invalid', 'went-back'],
  'zk-sequential-read-your-writes': ['invalid', 'went-back'],
  'zk-sequential-phantom': ['invalid', 'phantom-read'],
  'queue-workload-info-take-resolved': ['valid', '(1 resolved from markers), none lost'],
  'queue-workload-lost-despite-markers': ['invalid', 'queue: 1 lost'],
  'queue-workload-unresolved-take': ['unknown', '1 unconfirmed removal(s) may have taken them'],
  'convergence-stat-differs': ['invalid', 'n3 differs from n1 at 1 path(s), e.g. /zooproof/r aversion'],
  'convergence-expiring-ephemeral': ['valid', '4 difference(s) from sessions still expiring'],
  'convergence-closed-ephemeral': ['invalid', 'n2 differs from n1 at 2 path(s)'],
  'sequential-unique-valid': ['valid', '3 sequential names under 1 parent(s)'],
  'sequential-unique-twice': ['invalid', '1 handed out twice'],
  'sequential-unique-out-of-order': ['invalid', '1 out of zxid order'],
  'sync-read-valid': ['valid', '2 sync-reads, each reflecting'],
  'sync-read-stale': ['invalid', '1 stale read(s) after sync'],
  'sync-read-stale-partitioned': ['valid', '1 stale on a node cut off'],
  'sync-read-stale-majority-side': ['invalid', '1 stale read(s) after sync'],
  'session-abandoned-valid': ['valid', '1 abandoned (1 past certain expiry at the final read)'],
  'session-abandoned-outlived': ['invalid', 'in the final tree of n1'],
  'session-abandoned-read-after-expiry': ['invalid', 'in the read at index'],
  'session-abandoned-fault-delays-expiry': ['valid', '1 abandoned (0 past certain expiry at the final read)'],
  'session-close-unacked': ['valid', 'no ephemeral outlived'],
  'session-stale-read-on-cut-off-node': ['valid', 'no ephemeral outlived'],
};

describe('fixtures', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();

  it('every fixture has an expectation and vice versa', () => {
    expect(files.map((f) => f.replace(/\.jsonl$/, '')).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const file of files) {
    const name = file.replace(/\.jsonl$/, '');
    it(name, () => {
      const history = parseJsonlHistory(readFileSync(join(dir, file), 'utf8'));
      const result = compose(checkersNamed(String(history.meta.model)), checkInput(history), UNLIMITED);
      const [verdict, text] = expected[name]!;
      expect(result.verdict, result.summary).toBe(verdict);
      expect(result.summary).toContain(text);
    });
  }
});
