// Why a net mode was chosen: the log line never claims a flag nobody gave.
import { describe, expect, it } from 'vitest';
import { selectNetMode } from './select.ts';

describe('selectNetMode reasons', () => {
  it('says where a proxy request came from', async () => {
    expect(await selectNetMode('proxy', 'process')).toEqual({ mode: 'proxy', reason: '--net proxy requested' });
    expect(await selectNetMode('proxy', 'process', 'flag')).toEqual({ mode: 'proxy', reason: '--net proxy requested' });
    expect(await selectNetMode('proxy', 'process', 'scenario')).toEqual({ mode: 'proxy', reason: 'the scenario sets net proxy' });
    const byDefault = await selectNetMode('proxy', 'process', 'default');
    expect(byDefault).toEqual({ mode: 'proxy', reason: 'the default; --net auto or netns to change it' });
    expect(byDefault.reason).not.toContain('requested');
  });
});
