import { describe, expect, it } from 'vitest';
import { WatchRegistry, pathAndAncestors, type Watcher } from './watch-registry.ts';

const w = (): Watcher => () => {};

describe('WatchRegistry.materialize (ZKWatchManager rules)', () => {
  it('fires and consumes data and exist watches on NodeDataChanged / NodeCreated', () => {
    const reg = new WatchRegistry();
    const data = w();
    const exist = w();
    const child = w();
    reg.add('data', '/a', data);
    reg.add('exist', '/a', exist);
    reg.add('child', '/a', child);
    expect(reg.materialize('NodeDataChanged', '/a')).toEqual(new Set([data, exist]));
    expect(reg.materialize('NodeDataChanged', '/a').size).toBe(0);
    expect(reg.lists().child).toEqual(['/a']);
  });

  it('fires data, exist and child watches on NodeDeleted', () => {
    const reg = new WatchRegistry();
    const [a, b, c] = [w(), w(), w()];
    reg.add('data', '/a', a);
    reg.add('exist', '/a', b);
    reg.add('child', '/a', c);
    expect(reg.materialize('NodeDeleted', '/a')).toEqual(new Set([a, b, c]));
    expect(reg.isEmpty).toBe(true);
  });

  it('fires a child watch only on NodeChildrenChanged', () => {
    const reg = new WatchRegistry();
    const c = w();
    reg.add('child', '/a', c);
    expect(reg.materialize('NodeDataChanged', '/a').size).toBe(0);
    expect(reg.materialize('NodeChildrenChanged', '/a')).toEqual(new Set([c]));
  });

  it('keeps persistent watches and gives recursive ones no child events', () => {
    const reg = new WatchRegistry();
    const p = w();
    const r = w();
    reg.add('persistent', '/a', p);
    reg.add('persistentRecursive', '/', r);
    expect(reg.materialize('NodeDataChanged', '/a')).toEqual(new Set([p, r]));
    expect(reg.materialize('NodeChildrenChanged', '/a')).toEqual(new Set([p]));
    expect(reg.materialize('NodeCreated', '/a/b/c')).toEqual(new Set([r]));
    expect(reg.lists().persistent).toEqual(['/a']);
  });

  it('calls one watcher once even when it is registered several ways', () => {
    const reg = new WatchRegistry();
    const x = w();
    reg.add('data', '/a', x);
    reg.add('persistent', '/a', x);
    reg.add('data', '/a', x);
    expect([...reg.materialize('NodeDataChanged', '/a')]).toEqual([x]);
  });
});

describe('WatchRegistry.remove', () => {
  it('removes one watcher of a type and reports the removal event', () => {
    const reg = new WatchRegistry();
    const [a, b] = [w(), w()];
    reg.add('data', '/a', a);
    reg.add('data', '/a', b);
    reg.add('child', '/a', a);
    expect(reg.remove('/a', 'Data', a)).toEqual([{ watcher: a, kind: 'data', event: 'DataWatchRemoved' }]);
    expect(reg.contains('/a', 'Data', b)).toBe(true);
    expect(reg.contains('/a', 'Data', a)).toBe(false);
    expect(reg.contains('/a', 'Children', a)).toBe(true);
  });

  it('removes everything on a path with Any', () => {
    const reg = new WatchRegistry();
    const [a, b] = [w(), w()];
    reg.add('exist', '/a', a);
    reg.add('persistentRecursive', '/a', b);
    const removed = reg.remove('/a', 'Any').map((r) => r.event);
    expect(removed.sort()).toEqual(['DataWatchRemoved', 'PersistentWatchRemoved']);
    expect(reg.isEmpty).toBe(true);
  });
});

describe('pathAndAncestors', () => {
  it('walks up to the root', () => {
    expect(pathAndAncestors('/a/b')).toEqual(['/a/b', '/a', '/']);
    expect(pathAndAncestors('/')).toEqual(['/']);
  });
});
