import { describe, expect, it } from 'vitest';
import { WatchManager } from './watch-manager.ts';
import { EventType } from '../wire/opcodes.ts';

describe('WatchManager', () => {
  it('fires a standard watch once', () => {
    const m = new WatchManager();
    m.addWatch('/a', 1);
    expect([...m.trigger('/a', EventType.NodeDataChanged)]).toEqual([1]);
    expect(m.trigger('/a', EventType.NodeDataChanged).size).toBe(0);
  });

  it('keeps persistent watches and fires recursive ones for descendants but not child events', () => {
    const m = new WatchManager();
    m.addWatch('/a', 1, 'persistent');
    m.addWatch('/a', 2, 'persistentRecursive');
    expect([...m.trigger('/a', EventType.NodeDataChanged)].sort()).toEqual([1, 2]);
    expect([...m.trigger('/a', EventType.NodeDataChanged)].sort()).toEqual([1, 2]);
    expect([...m.trigger('/a/b/c', EventType.NodeCreated)]).toEqual([2]);
    expect([...m.trigger('/a', EventType.NodeChildrenChanged)]).toEqual([1]);
  });

  it('suppresses watchers already notified and removes by kind', () => {
    const m = new WatchManager();
    m.addWatch('/a', 1);
    m.addWatch('/a', 2);
    expect([...m.trigger('/a', EventType.NodeDeleted, new Set([1]))]).toEqual([2]);
    m.addWatch('/b', 3, 'persistent');
    expect(m.removeWatch('/b', 3, new Set(['standard']))).toBe(false);
    expect(m.removeWatch('/b', 3, new Set(['persistent']))).toBe(true);
    expect(m.size).toBe(0);
  });

  it('holds a standard and a persistent watch of one connection side by side', () => {
    const m = new WatchManager();
    m.addWatch('/a', 1, 'persistent');
    m.addWatch('/a', 1);
    expect(m.hasWatch('/a', 1, new Set(['standard']))).toBe(true);
    expect([...m.trigger('/a', EventType.NodeDataChanged)]).toEqual([1]);
    expect(m.hasWatch('/a', 1, new Set(['standard']))).toBe(false);
    expect(m.trigger('/a', EventType.NodeDataChanged).size).toBe(1);
  });
});
