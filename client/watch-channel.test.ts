import { describe, expect, it } from 'vitest';
import { WatchChannel, nextEvent } from './watch-channel.ts';
import type { WatchedEvent } from './watch-registry.ts';

const ev = (type: WatchedEvent['type'], state: WatchedEvent['state'] = 'SyncConnected'): WatchedEvent =>
  ({ type, state, path: type === 'None' ? null : '/a', zxid: 1 });

describe('WatchChannel', () => {
  it('yields buffered and later events, and ends on Expired', async () => {
    const ch = new WatchChannel();
    ch.watcher(ev('NodeCreated'));
    const got: string[] = [];
    const done = (async () => { for await (const e of ch) got.push(`${e.type}/${e.state}`); })();
    ch.watcher(ev('NodeDataChanged'));
    ch.watcher(ev('None', 'Expired'));
    ch.watcher(ev('NodeDeleted'));
    await done;
    expect(got).toEqual(['NodeCreated/SyncConnected', 'NodeDataChanged/SyncConnected', 'None/Expired']);
  });

  it('ends with overflowed set instead of growing past its bound', async () => {
    const ch = new WatchChannel(2);
    for (let i = 0; i < 3; i++) ch.watcher(ev('NodeDataChanged'));
    expect(ch.overflowed).toBe(true);
    const got: WatchedEvent[] = [];
    for await (const e of ch) got.push(e);
    expect(got).toHaveLength(2);
  });

  it('nextEvent resolves with the first node event, skipping connection state events', async () => {
    const { watcher, event } = nextEvent();
    watcher(ev('None', 'Disconnected'));
    watcher(ev('NodeDeleted'));
    watcher(ev('NodeCreated'));
    expect((await event).type).toBe('NodeDeleted');
  });
});

describe('nextEvent', () => {
  it('resolves on a terminal session event', async () => {
    const { watcher, event } = nextEvent();
    watcher(ev('None', 'Expired'));
    expect(await event).toMatchObject({ type: 'None', state: 'Expired' });
  });
});
