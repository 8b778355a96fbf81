// The official Java client (Debian's ZooKeeper 3.8 jar) against both targets:
// create modes (incl. container and TTL), getData/setData with Stat, one-shot
// and persistent recursive watches, multi, getEphemerals, whoAmI, ACL denial
// and session expiry. java/ClientCheck.java is compiled at test time into a
// temp dir and reports observations as JSON; this file asserts.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZOOKEEPER_JAR } from '../support/apache-zk.ts';
import { describeIfAvailable, unavailable, type Availability } from '../support/skip.ts';
import { forEachTarget, startTarget, type Target } from '../support/targets.ts';
import { digestOf } from '../support/zoo-cfg.ts';
import { probeCommand, runDriver, scenario, type DriverReport } from './driver.ts';

const SOURCE = fileURLToPath(new URL('./java/ClientCheck.java', import.meta.url));
/** slf4j's no-op binding keeps the client's logging off stdout (the JSON channel). */
const SLF4J_NOP_JAR = '/usr/share/java/slf4j-nop.jar';
const DRIVER_TIMEOUT_MS = 90_000;
const COMPILE_TIMEOUT_MS = 60_000;

function javaAvailability(): Availability {
  if (!existsSync(ZOOKEEPER_JAR)) return unavailable(`${ZOOKEEPER_JAR} missing (Debian package 'zookeeper')`);
  const javac = probeCommand('javac', ['-version'], 'javac (a JDK, Debian package default-jdk-headless)');
  return javac.ok ? probeCommand('java', ['-version'], 'java') : javac;
}

const libraryClassPath = [ZOOKEEPER_JAR, ...(existsSync(SLF4J_NOP_JAR) ? [SLF4J_NOP_JAR] : [])].join(':');
let classesDir: string | undefined;
let compiled: Promise<string> | undefined;

/** javac once per test file, whichever target asks first; resolves with the classes dir. */
function compileOnce(): Promise<string> {
  if (compiled === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'zooproof-java-client-'));
    classesDir = dir;
    compiled = execa('javac', ['-d', dir, '-cp', libraryClassPath, SOURCE], { timeout: COMPILE_TIMEOUT_MS }).then(() => dir);
  }
  return compiled;
}

const availability = javaAvailability();

describeIfAvailable('java client', availability, () => {
  afterAll(() => { if (classesDir !== undefined) rmSync(classesDir, { recursive: true, force: true }); });

  forEachTarget('java client', (name) => {
    let target: Target | undefined;
    let report: DriverReport | undefined;
    beforeAll(async () => {
      const [started, classes] = await Promise.all([startTarget(name, { tickTimeMs: 500 }), compileOnce()]);
      target = started;
      const args = ['-cp', `${libraryClassPath}:${classes}`, 'ClientCheck', target.host, String(target.port)];
      ({ report } = await runDriver('java', args, DRIVER_TIMEOUT_MS));
    }, DRIVER_TIMEOUT_MS + COMPILE_TIMEOUT_MS);
    afterAll(async () => { await target?.stop(); }, 30_000);
    const obs = (scenarioName: string) => scenario(report, scenarioName);

    it('connects: SyncConnected, the requested 10 s timeout, a 16-byte password', () => {
      expect(obs('connect')).toMatchObject({ state: 'CONNECTED', sessionIdNonZero: true, passwdLength: 16,
        negotiatedTimeoutMs: 10_000, states: ['SyncConnected'], zookeeperChildren: ['config', 'quota'] });
    });

    describe('create modes', () => {
      it('PERSISTENT with a Stat out-parameter, EPHEMERAL owned by the session, CONTAINER and TTL show owner 0', () => {
        const o = obs('createModes');
        expect(o).toMatchObject({
          persistentStat: { version: 0, cversion: 0, aversion: 0, dataLength: 2, numChildren: 0, ephemeralOwner: '0',
            czxidEqualsMzxid: true, pzxidEqualsCzxid: true },
          ephemeralOwnerIsSession: true, ephemeralSequentialOwner: true, containerOwnerHex: '0', ttlOwnerHex: '0',
        });
        for (const key of ['persistent', 'ephemeral', 'container', 'ttl']) expect(o[key]).toMatch(/^\/java-\d+\/modes\//);
      });

      it('sequential suffixes: 10 digits from the parent cversion, shared by both sequential modes', () => {
        const o = obs('createModes');
        const seq = /\/s-(\d{10})$/.exec(o.sequential as string);
        const eseq = /\/es-(\d{10})$/.exec(o.ephemeralSequential as string);
        expect(seq && eseq).toBeTruthy();
        // Created after p and e: cversion 2 then 3.
        expect([seq![1], eseq![1]]).toEqual(['0000000002', '0000000003']);
      });

      it('errors: NODEEXISTS, NONODE, NOCHILDRENFOREPHEMERALS', () => {
        expect(obs('createModes')).toMatchObject({ duplicate: 'NODEEXISTS', noParent: 'NONODE',
          ephemeralChild: 'NOCHILDRENFOREPHEMERALS' });
      });
    });

    it('getData/setData with Stat: version 1 after a versioned set, equal to a read, BADVERSION on stale versions', () => {
      expect(obs('versions')).toMatchObject({
        data0: 'v0', stat0: { version: 0, dataLength: 2 }, data1: 'v1-longer',
        setStat: { version: 1, dataLength: 9, czxidEqualsMzxid: false }, setStatEqualsRead: true, mzxidGrew: true,
        badSet: 'BADVERSION', badDelete: 'BADVERSION', missingGet: 'NONODE', existsMissing: true,
        allChildrenNumberOfBase: 8,
      });
    });

    it('one-shot watches: NodeCreated (exists), NodeDataChanged once, NodeChildrenChanged', () => {
      const o = obs('oneShotWatches');
      const at = (type: string) => ({ type, path: expect.stringMatching(/\/w$/), state: 'SyncConnected' });
      expect(o).toMatchObject({ created: at('NodeCreated'), dataChanged: at('NodeDataChanged'),
        childrenChanged: at('NodeChildrenChanged'), secondChangeWithoutRewatch: null });
    });

    it('addWatch PERSISTENT_RECURSIVE: every change below, in order, until removed (PersistentWatchRemoved)', () => {
      const o = obs('persistentRecursiveWatch');
      const types = (o.events as { type: string; path: string }[]).map((e) => `${e.type} ${e.path.replace(/^.*\/rec/, 'rec')}`);
      expect(types).toEqual(['NodeCreated rec/a', 'NodeCreated rec/a/b', 'NodeDataChanged rec/a/b',
        'NodeDataChanged rec/a/b', 'NodeDeleted rec/a/b', 'NodeDataChanged rec']);
      expect(o).toMatchObject({ extra: null, removed: { type: 'PersistentWatchRemoved' }, afterRemoval: null });
    });

    it('multi: typed results on success; on failure the Java client gets per-op errors (0, BADVERSION, RUNTIMEINCONSISTENCY)', () => {
      expect(obs('multi')).toMatchObject({ okTypes: ['CreateResult', 'SetDataResult', 'CheckResult', 'DeleteResult'],
        setVersion: 1, failCode: 'BADVERSION', failedErrs: [0, -103, -2], bExists: false });
    });

    it('getEphemerals by prefix and for the whole session; whoAmI shows the ip identity', () => {
      const o = obs('ephemeralsAndWhoAmI');
      const strip = (xs: unknown) => (xs as string[]).map((p) => p.replace(/^\/java-\d+/, ''));
      expect(strip(o.underDir)).toEqual(['/eph/one', '/eph/two']);
      expect(strip(o.all)).toEqual(['/eph/one', '/eph/two', '/modes/e', '/modes/es-0000000003']);
      expect(o.whoAmI).toEqual(['ip:127.0.0.1']);
    });

    it('ACLs: CREATOR_ALL for a digest user denies others (NOAUTH), READ_ACL_UNSAFE denies writes, bad ACL refused', () => {
      expect(obs('aclDenial')).toMatchObject({
        ownerReads: 'private', acl: [`digest:${digestOf('alice', 'secret')}:31`],
        ownerWhoAmI: ['digest:alice', 'ip:127.0.0.1'], strangerGet: 'NOAUTH', strangerSet: 'NOAUTH', strangerExists: true,
        readOnlySet: 'NOAUTH', readOnlyGet: 'public', badAclCreate: 'INVALIDACL',
      });
    });

    it('session expiry through a partition: ephemeral deleted, then Disconnected, Expired, and SESSIONEXPIRED after', () => {
      const o = obs('sessionExpiry');
      expect(o).toMatchObject({ negotiatedTimeoutMs: 2000, ephemeralDeleted: true, aliveAfterExpiry: false,
        states: ['SyncConnected', 'Disconnected', 'Expired'], opAfterExpiry: 'SESSIONEXPIRED' });
      expect(o.expiredAfterMs as number).toBeLessThan(10_000);
    });
  });
});
