// Python's kazoo (Debian's python3-kazoo) against both targets: CRUD in every
// create mode, versions, DataWatch/ChildrenWatch, transactions, the Lock,
// Election and Counter recipes, and session expiry through a partition.
// The driver (py/kazoo_check.py) reports observations as JSON; this file asserts.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeIfAvailable } from '../support/skip.ts';
import { forEachTarget, startTarget, type Target } from '../support/targets.ts';
import { probeCommand, runDriver, scenario, type DriverReport } from './driver.ts';

const PYTHON = '/usr/bin/python3';
const DRIVER = fileURLToPath(new URL('./py/kazoo_check.py', import.meta.url));
const DRIVER_TIMEOUT_MS = 90_000;
const SEQUENCE_SUFFIX = /^\d{10}$/;

const kazooAvailability = probeCommand(PYTHON, ['-c', 'import kazoo.client, kazoo.recipe.lock'],
  `${PYTHON} cannot import kazoo (Debian package python3-kazoo)`);

function suffixOf(path: unknown, prefix: string): string {
  expect(typeof path).toBe('string');
  const text = path as string;
  expect(text.startsWith(prefix)).toBe(true);
  return text.slice(prefix.length);
}

describeIfAvailable('kazoo', kazooAvailability, () => {
  forEachTarget('kazoo', (name) => {
    let target: Target | undefined;
    let report: DriverReport | undefined;
    // tickTime 500 ms: sessions down to 1 s, so the expiry scenario takes seconds.
    beforeAll(async () => {
      target = await startTarget(name, { tickTimeMs: 500 });
      ({ report } = await runDriver(PYTHON, [DRIVER, target.host, String(target.port)], DRIVER_TIMEOUT_MS));
    }, DRIVER_TIMEOUT_MS + 30_000);
    afterAll(async () => { await target?.stop(); }, 30_000);
    const obs = (scenarioName: string) => scenario(report, scenarioName);

    it('connects: CONNECTED, a session id and a 16-byte password, /zookeeper holds config and quota', () => {
      expect(obs('connect')).toMatchObject({ state: 'CONNECTED', connected: true, sessionIdNonZero: true,
        passwdLength: 16, rootExists: true, zookeeperChildren: ['config', 'quota'] });
    });

    describe('create modes', () => {
      it('persistent, makepath, ephemeral (owned by the session) and create2 Stat', () => {
        const o = obs('createModes');
        expect(o.persistent).toMatch(/\/modes\/p$/);
        expect(o.makepath).toMatch(/\/modes\/deep\/er\/node$/);
        expect(o).toMatchObject({ ephemeralOwnerIsSession: true, persistentOwner: 0,
          create2: { version: 0, dataLength: 3, czxidEqualsMzxid: true } });
      });

      it('sequential and ephemeral sequential share the parent counter: 10-digit suffixes, increasing', () => {
        const o = obs('createModes');
        const [first, second] = o.sequential as string[];
        const base = (first ?? '').replace(/\/s-\d+$/, '');
        const n1 = suffixOf(first, `${base}/s-`);
        const n2 = suffixOf(second, `${base}/s-`);
        const n3 = suffixOf(o.ephemeralSequential, `${base}/es-`);
        for (const n of [n1, n2, n3]) expect(n).toMatch(SEQUENCE_SUFFIX);
        expect([Number(n2) - Number(n1), Number(n3) - Number(n2)]).toEqual([1, 1]);
        expect(o.ephemeralSequentialOwnerIsSession).toBe(true);
      });

      it('maps error codes to kazoo exceptions: NodeExists, NoNode, NoChildrenForEphemerals', () => {
        expect(obs('createModes')).toMatchObject({ duplicateError: 'NodeExistsError',
          missingParentError: 'NoNodeError', ephemeralChildError: 'NoChildrenForEphemeralsError' });
      });
    });

    it('get/set/delete with versions: BadVersion, NotEmpty, Stat after set equals Stat read back', () => {
      expect(obs('versions')).toMatchObject({
        initial: { data: 'v0', version: 0, dataLength: 2 },
        afterSet: { version: 1, mzxidGrew: true, czxidSame: true },
        badVersionSet: 'BadVersionError',
        unconditionalSet: { version: 2, data: 'v2-longer', dataLength: 9, statMatchesRead: true },
        deleteNonEmpty: 'NotEmptyError', badVersionDelete: 'BadVersionError',
        existsAfterRecursiveDelete: false, getMissing: 'NoNodeError',
      });
    });

    it('DataWatch sees absent, CREATED, CHANGED, DELETED with the matching data and version', () => {
      expect(obs('dataWatch').calls).toEqual([
        { data: null, version: null, event: null },
        { data: 'a', version: 0, event: 'CREATED' },
        { data: 'b', version: 1, event: 'CHANGED' },
        { data: null, version: null, event: 'DELETED' },
      ]);
    });

    it('ChildrenWatch sees every children change and no data change; a one-shot child watch fires once', () => {
      const o = obs('childrenWatch');
      expect(o.calls).toEqual([[], ['a'], ['a', 'b'], ['b'], ['b', 'c'], ['b', 'c', 'd']]);
      expect(o.oneShot).toEqual([['CHILD', expect.stringMatching(/\/cw$/)]]);
    });

    it('transaction: all results on success; on failure RolledBack / BadVersion / RuntimeInconsistency and nothing applied', () => {
      const o = obs('transaction');
      const ok = o.okResults as unknown[];
      expect(ok[0]).toMatch(/\/txn\/a$/);
      expect(ok.slice(1, 3)).toEqual([{ statVersion: 1 }, true]);
      expect(ok[3]).toMatch(/\/txn\/s-\d{10}$/);
      expect(o).toMatchObject({ badResults: ['RolledBackError', 'BadVersionError', 'RuntimeInconsistency'],
        bExists: false, aExists: true, baseData: '2' });
    });

    it('Lock recipe: two clients, five turns each, never both inside; non-blocking acquire fails while held', () => {
      expect(obs('lock')).toMatchObject({ acquisitions: 10, byWorker: [5, 5], maxInside: 1, threadsDone: true,
        nonBlockingWhileHeld: false, contendersWhileHeld: ['holder'], acquiredAfterRelease: true, lockNodesLeft: 0 });
    });

    it('Election recipe: one leader at a time, the second leads once the first steps down', () => {
      const o = obs('election');
      expect(o.leadersWhileFirstLeads).toEqual([0]);
      expect(o.order).toEqual([0, 1]);
      expect(o.contenders).toEqual(['candidate-0', 'candidate-1']);
    });

    it('Counter recipe: +5 -2 = 3, then 2 clients x 20 concurrent increments lose none (versioned CAS)', () => {
      expect(obs('counter')).toMatchObject({ afterPlus5Minus2: 3, afterConcurrent: 43, rawData: '43' });
    });

    it('session expiry: a partition longer than the timeout deletes the ephemeral; SUSPENDED, LOST, new session', () => {
      const o = obs('sessionExpiry');
      expect(o).toMatchObject({ negotiatedTimeoutMs: 2000, ephemeralDeletedDuringPartition: true, newSession: true,
        states: ['CONNECTED', 'SUSPENDED', 'LOST', 'CONNECTED'] });
      expect(o.recreatedEphemeral).toMatch(/\/expiry$/);
      expect(o.expiredWithinS as number).toBeLessThan(10);
    });
  });
});
