import { describe, expect, it } from 'vitest';
import { runConfig } from './environment.ts';

describe('run config', () => {
  it('snapCount goes to zoo.cfg when set, and nothing otherwise', () => {
    expect(runConfig({ snapCount: 100 })).toEqual({ snapCount: '100' });
    expect(runConfig({})).toEqual({});
    expect(runConfig({ target: 'zookeeper', lazyfs: true })).toEqual({ 'snapshot.trust.empty': 'true' });
    expect(runConfig({ target: 'reference', lazyfs: true })).toEqual({});
  });

  it('extra zoo.cfg keys go to every node, beside snapCount', () => {
    expect(runConfig({ snapCount: 50, zooCfg: { snapshotSizeFactor: '-1', commitLogCount: '20' } }))
      .toEqual({ snapshotSizeFactor: '-1', commitLogCount: '20', snapCount: '50' });
  });
});
