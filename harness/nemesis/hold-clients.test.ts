import { afterAll, describe, expect, it } from 'vitest';
import { fakeContext, removeFakeDirs } from './testing/fake-context.ts';
import { holdClientsNemesis } from './hold-clients.ts';

afterAll(removeFakeDirs);

describe('client hold', () => {
  it('drops client links to the targets only, and release clears them', async () => {
    const w = fakeContext({ nodes: ['n1', 'n2', 'n3'], leader: 'n2' });
    const n = holdClientsNemesis();
    await n.setup(w.ctx);
    const held = await n.invoke({ f: 'start-client-hold', value: { target: 'leader', complement: true } });
    expect(held).toEqual({ type: 'ok', value: { held: ['n1', 'n3'] } });
    expect([...w.linkFaults.keys()].sort()).toEqual(['client->n1', 'client->n3']);
    expect(w.linkFaults.get('client->n1')).toEqual({ kind: 'drop' });
    expect(await n.invoke({ f: 'stop-client-hold', value: null })).toEqual({ type: 'ok', value: { released: ['n1', 'n3'] } });
    expect(w.linkFaults.size).toBe(0);
  });

  it('teardown releases what is held; netns mode is unsupported', async () => {
    const w = fakeContext({ nodes: ['n1', 'n2', 'n3'], leader: 'n2' });
    const n = holdClientsNemesis();
    await n.setup(w.ctx);
    await n.invoke({ f: 'start-client-hold', value: { nodes: ['n3'] } });
    await n.teardown();
    expect(w.linkFaults.size).toBe(0);
    const netns = fakeContext({ netMode: 'netns' });
    const m = holdClientsNemesis();
    await m.setup(netns.ctx);
    expect((await m.invoke({ f: 'start-client-hold', value: null })).error).toMatch(/^UNSUPPORTED/);
  });
});
