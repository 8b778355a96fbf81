import { describe, expect, it } from 'vitest';
import { MemDisk } from '../../../server/storage/mem-disk.ts';
import { TxnLog } from '../../../server/storage/txn-log.ts';
import { encodeSnapshot } from '../../../server/storage/snapshot.ts';
import type { Operation } from '../../history/types.ts';
import { ackedWrites } from './acked-writes.ts';
import { SESSION, logFile, logOf, nodeInput, range, setDataTxn, zxid } from './build-logs.ts';
import { checkForensicsInput } from './check.ts';
import type { AckedWrite, ForensicsDetails, ForensicsInput, ForensicsNodeInput } from './types.ts';
import { DEFAULT_FORENSICS_LIMITS } from './types.ts';

const E1 = (c: number) => zxid(1, c);
const E2 = (c: number) => zxid(2, c);

function acked(z: number, opId = 0, extra: Partial<AckedWrite> = {}): AckedWrite {
  return { opId, f: 'write', zxid: z, node: 'n1', session: `0x${SESSION.toString(16)}`, completeTimeNs: 1_000, ...extra };
}

function check(nodes: ForensicsNodeInput[], writes: AckedWrite[] = [], syncEvents?: ForensicsInput['syncEvents']) {
  const r = checkForensicsInput(syncEvents ? { nodes, writes, syncEvents } : { nodes, writes });
  return { ...r, d: r.details as ForensicsDetails, kinds: (r.details as ForensicsDetails).findings.map((f) => f.kind) };
}

/** Three nodes that all logged E1(1..10). */
function cleanCluster(): ForensicsNodeInput[] {
  return ['n1', 'n2', 'n3'].map((n) => nodeInput(n, logOf(range(E1(1), E1(10)))));
}

describe('log forensics: clean histories pass', () => {
  it('three nodes with the same log and every acknowledged write on all of them', () => {
    const r = check(cleanCluster(), range(E1(1), E1(10)).map((z, i) => acked(z, i)));
    expect(r.verdict).toBe('valid');
    expect(r.d.stats).toMatchObject({ nodes: 3, txnRecords: 30, zxidsCompared: 10, ackedWrites: 10 });
  });

  it('a learner whose log stops at a torn record, later re-synced into a new file', () => {
    const torn = logFile(range(E1(1), E1(5)).map((z) => setDataTxn(z)), 0);
    const cut = torn.subarray(0, torn.length - 7); // the last record cut short by a crash
    const n3 = nodeInput('n3', { 'log.100000001': cut, ...logOf(range(E1(5), E1(10))) });
    const r = check([...cleanCluster().slice(0, 2), n3], [acked(E1(5))]);
    expect(r.verdict).toBe('valid');
  });

  it('a SNAP learner: an old log kept beside a newer snapshot, new txns in the same file across epochs', () => {
    // ZooKeeper's learner keeps writing its open log file after a SNAP (seen on Apache 3.8 runs).
    const n3 = nodeInput('n3', logOf([E1(1), E1(2), E2(4), E2(5)]), {
      snapshotNames: ['snapshot.0', `snapshot.${E2(3).toString(16)}`], acceptedEpoch: 2, currentEpoch: 2,
    });
    const full = [...range(E1(1), E1(10)), ...range(E2(1), E2(5))];
    const others = ['n1', 'n2'].map((n) => nodeInput(n, logOf(full), { acceptedEpoch: 2, currentEpoch: 2 }));
    const r = check([...others, n3], [acked(E1(9), 0), acked(E2(2), 1), acked(E2(5), 2)]);
    expect(r.verdict).toBe('valid');
  });

  it('a gap inside one file and one epoch is fine when a snapshot (or a SNAP sync) lies in it', () => {
    const gap = (o: Partial<ForensicsNodeInput>) => [nodeInput('n1', logOf([E1(1), E1(2), E1(8), E1(9)]), o)];
    expect(check(gap({ snapshotNames: ['snapshot.0', `snapshot.${E1(5).toString(16)}`] })).verdict).toBe('valid');
    expect(check(gap({}), [], [{ node: 'n1', kind: 'SNAP', zxid: E1(7), timeNs: 5 }]).verdict).toBe('valid');
  });

  it('a node that never caught up is an availability note, not a violation', () => {
    const n3 = nodeInput('n3', logOf(range(E1(1), E1(4))));
    const r = check([...cleanCluster().slice(0, 2), n3], [acked(E1(9))]);
    expect(r.verdict).toBe('valid');
    expect(r.kinds).toEqual(['acked-write-lagging']);
    expect(r.d.findings[0]).toMatchObject({ nodes: ['n3'], zxids: ['0x100000009'], opIds: [0] });
  });

  it('logs written and TRUNCated by the server\'s own TxnLog, then re-synced, pass', async () => {
    const disk = new MemDisk();
    const log = await TxnLog.open(disk, { dataLogDir: '/d', preAllocSizeBytes: 4096 });
    for (const z of range(E1(1), E1(6))) log.append(setDataTxn(z, 'phantom'));
    await log.commit();
    await log.truncate(E1(3)); // E1(4..6) were never committed
    for (const z of [...range(E1(4), E1(5)), ...range(E2(1), E2(2))]) log.append(setDataTxn(z));
    await log.commit();
    const logFiles: Record<string, Uint8Array> = {};
    for (const name of await disk.list('/d/version-2')) logFiles[name] = await disk.read(`/d/version-2/${name}`);
    const full = [...range(E1(1), E1(5)), ...range(E2(1), E2(2))].map((z) => setDataTxn(z, z <= E1(3) ? 'phantom' : `v${z}`));
    const leader = nodeInput('n1', { 'log.100000001': logFile(full) }, { acceptedEpoch: 2, currentEpoch: 2 });
    const r = check([leader, nodeInput('n2', logFiles, { acceptedEpoch: 2, currentEpoch: 2 })], [acked(E1(4)), acked(E2(2), 1)]);
    expect(r.verdict).toBe('valid');
  });

  it('a TRUNC before the acknowledgement (the same-epoch re-proposal) is fine', () => {
    const r = check(cleanCluster(), [acked(E1(8), 0, { completeTimeNs: 900 })], [{ node: 'n3', kind: 'TRUNC', zxid: E1(5), timeNs: 500 }]);
    expect(r.verdict).toBe('valid');
  });
});

describe('log forensics: broken histories fail', () => {
  it('two different txns at one zxid (two leaders in one epoch)', () => {
    const nodes = cleanCluster();
    nodes[2] = nodeInput('n3', { 'log.100000001': logFile(range(E1(1), E1(10)).map((z) => setDataTxn(z, z === E1(7) ? 'other' : `v${z}`))) });
    const r = check(nodes);
    expect(r.verdict).toBe('invalid');
    expect(r.kinds).toEqual(['conflicting-txn']); // n2 agrees with n1; n3 differs
    expect(r.d.findings[0]).toMatchObject({ nodes: ['n1', 'n3'], zxids: ['0x100000007'] });
    expect(r.d.findings[0]!.message).toContain('body differ');
  });

  it('an acknowledged zxid missing from a node whose log goes past it', () => {
    const nodes = cleanCluster();
    nodes[1] = nodeInput('n2', logOf([...range(E1(1), E1(6)), ...range(E2(1), E2(3))]), { acceptedEpoch: 2, currentEpoch: 2 });
    const r = check(nodes, [acked(E1(4), 3), acked(E1(8), 7)]);
    expect(r.verdict).toBe('invalid');
    expect(r.kinds).toEqual(['acked-write-missing']);
    expect(r.d.findings[0]).toMatchObject({ nodes: ['n2'], zxids: ['0x100000008'], opIds: [7] });
  });

  it('an acknowledged zxid held by fewer than a majority', () => {
    const nodes = [nodeInput('n1', logOf(range(E1(1), E1(10)))), ...['n2', 'n3'].map((n) => nodeInput(n, logOf(range(E1(1), E1(5)))))];
    const r = check(nodes, [acked(E1(9), 4)]);
    expect(r.verdict).toBe('invalid');
    expect(r.kinds).toContain('acked-write-not-on-quorum');
    // With n2 and n3 observers, n1 alone is the quorum of voters.
    expect(checkForensicsInput({ nodes, writes: [acked(E1(9), 4)], voters: ['n1'] }).verdict).toBe('valid');
  });

  it('zxid going backwards, inside one file and across two files', () => {
    const inFile = check([nodeInput('n1', { 'log.100000001': logFile([E1(1), E1(2), E1(5), E1(4)].map((z) => setDataTxn(z))) })]);
    expect(inFile.verdict).toBe('invalid');
    expect(inFile.kinds).toEqual(['zxid-gap', 'zxid-not-increasing']); // 2 -> 5 skips 3 and 4, then 4 comes late
    expect(inFile.d.findings[1]).toMatchObject({ nodes: ['n1'], zxids: ['0x100000005', '0x100000004'] });
    const across = check([nodeInput('n1', { ...logOf([E1(1), E1(2), E1(3), E1(7)]), ...logOf(range(E1(4), E1(6))) })]);
    expect(across.verdict).toBe('invalid');
    expect(across.d.findings.find((f) => f.kind === 'zxid-not-increasing')).toMatchObject({ zxids: ['0x100000007', '0x100000004'] });
  });

  it('a txn logged again at a zxid: identical is a note (Apache 3.8 re-sync), different is invalid', () => {
    const again = (value: string) => [nodeInput('n1', {
      'log.100000001': logFile([...range(E1(1), E1(5)).map((z) => setDataTxn(z)), setDataTxn(E1(3), value), setDataTxn(E1(4)), setDataTxn(E1(5)), setDataTxn(E1(6))]),
    })];
    const same = check(again(`v${E1(3)}`));
    expect(same.verdict).toBe('valid');
    expect(same.d.findings).toMatchObject([{ kind: 'zxid-relogged', zxids: ['0x100000003', '0x100000005'] }]);
    expect(same.d.findings[0]!.message).toContain('3 txns');
    const other = check(again('changed'));
    expect(other.verdict).toBe('invalid');
    expect(other.kinds).toEqual(['conflicting-txn', 'zxid-relogged']);
  });

  it('a gap inside one file and one epoch with no snapshot or SNAP in it', () => {
    const r = check([nodeInput('n1', logOf([E1(1), E1(2), E1(8), E1(9)]), { snapshotNames: ['snapshot.0', `snapshot.${E1(8).toString(16)}`] })]);
    expect(r.verdict).toBe('invalid');
    expect(r.d.findings[0]).toMatchObject({ kind: 'zxid-gap', zxids: ['0x100000002', '0x100000008'] });
  });

  it('a learner that kept a txn of an epoch both it and the leader moved past (DIFF where TRUNC was due)', () => {
    const e2 = { acceptedEpoch: 2, currentEpoch: 2 };
    const leader = nodeInput('n1', logOf([...range(E1(1), E1(8)), ...range(E2(1), E2(3))]), e2);
    const kept = nodeInput('n2', logOf([...range(E1(1), E1(9)), ...range(E2(1), E2(3))]), e2);
    const r = check([leader, kept]);
    expect(r.verdict).toBe('invalid');
    expect(r.kinds).toEqual(['divergent-history']);
    expect(r.d.findings[0]).toMatchObject({ nodes: ['n2', 'n1'], zxids: ['0x100000009'] });
    // The same phantom below a snapshot the learner got by SNAP is what ZooKeeper leaves: fine.
    const snapped = { ...kept, snapshotNames: ['snapshot.0', `snapshot.${E2(1).toString(16)}`] };
    expect(check([leader, snapped]).verdict).toBe('valid');
  });

  it('acceptedEpoch below currentEpoch', () => {
    const r = check([nodeInput('n1', logOf(range(E1(1), E1(3))), { acceptedEpoch: 1, currentEpoch: 2 })]);
    expect(r.verdict).toBe('invalid');
    expect(r.kinds).toEqual(['accepted-epoch-below-current']);
  });

  it('a logged txn of an epoch above currentEpoch (unless currentEpoch.tmp has it)', () => {
    const n = (tmp: number | null) => [nodeInput('n1', logOf([E1(1), E2(1)]), { acceptedEpoch: 2, currentEpoch: 1, currentEpochTmp: tmp })];
    expect(check(n(null)).kinds).toEqual(['txn-epoch-above-current']);
    expect(check(n(2)).verdict).toBe('valid');
  });

  it('a TRUNC below an acknowledged zxid of its epoch (ZOOKEEPER-4643)', () => {
    const nodes = cleanCluster();
    nodes[2] = nodeInput('n3', logOf([...range(E1(1), E1(5)), ...range(E2(1), E2(2))]), { acceptedEpoch: 2, currentEpoch: 2 });
    nodes[0] = nodeInput('n1', logOf([...range(E1(1), E1(10)), ...range(E2(1), E2(2))]), { acceptedEpoch: 2, currentEpoch: 2 });
    const syncs = [{ node: 'n3', kind: 'TRUNC' as const, zxid: E1(5), timeNs: 5_000 }];
    const r = check(nodes, [acked(E1(8), 2, { node: 'n3', completeTimeNs: 4_000 })], syncs);
    expect(r.verdict).toBe('invalid');
    const trunc = r.d.findings.find((f) => f.kind === 'trunc-erased-acked')!;
    expect(trunc).toMatchObject({ nodes: ['n3'], zxids: ['0x100000005', '0x100000008'], opIds: [2] });
    expect(trunc.message).toContain('n3 itself acknowledged it');
    // Stamped by a poller up to 1.5 us late, the same TRUNC may have come before the ack: not asserted.
    const slack = checkForensicsInput({ nodes, writes: [acked(E1(8), 2, { node: 'n3', completeTimeNs: 4_000 })], syncEvents: syncs, syncTimeSlackNs: 1_500 });
    expect((slack.details as ForensicsDetails).findings.map((f) => f.kind)).not.toContain('trunc-erased-acked');
  });

  it('the txn at an acknowledged zxid belongs to another session', () => {
    const r = check(cleanCluster(), [acked(E1(3), 0, { session: '0x2000' })]);
    expect(r.verdict).toBe('invalid');
    expect(r.kinds).toEqual(['acked-zxid-other-txn']);
    expect(check(cleanCluster(), [acked(E1(3), 0, { session: 'not hex' })]).verdict).toBe('valid'); // unreadable: not compared
    expect(check(cleanCluster(), [acked(E1(3), 0, { f: 'enqueue' })]).kinds).toEqual(['acked-zxid-other-txn']); // setData is no create
  });
});

describe('log forensics: unknown, not guessed', () => {
  it('a corrupt record in the middle of a log makes absences on that node inconclusive', () => {
    const bytes = logFile(range(E1(1), E1(10)).map((z) => setDataTxn(z)));
    bytes[16 + 20]! ^= 0xff; // inside the first record's txn: checksum mismatch
    const nodes = cleanCluster();
    nodes[2] = nodeInput('n3', { 'log.100000001': bytes });
    const r = check(nodes, [acked(E1(9))]);
    expect(r.verdict).toBe('unknown');
    expect(r.kinds).toContain('unreadable-log');
  });

  it('over the record budget', () => {
    const r = checkForensicsInput({ nodes: cleanCluster(), writes: [] }, undefined, { ...DEFAULT_FORENSICS_LIMITS, maxRecordsTotal: 5 });
    expect(r.verdict).toBe('unknown');
    expect(r.summary).toContain('more than 5 txn records');
  });

  it('over the time budget', () => {
    let nowMs = 0;
    const budget = { now: () => (nowMs += 1_000), deadlineMs: 500, maxMemoryBytes: Infinity };
    const r = checkForensicsInput({ nodes: cleanCluster(), writes: [] }, budget);
    expect(r.verdict).toBe('unknown');
    expect(r.summary).toContain('time budget spent');
  });

  it('a broken newest snapshot does not count: the node then lacks what only it covered', () => {
    const snap = encodeSnapshot(new Uint8Array(40));
    const name = `snapshot.${E1(9).toString(16)}`;
    const n3 = (bytes: Uint8Array) => nodeInput('n3', logOf([E1(1), E1(2), E1(10), E1(11)]), { snapshotNames: ['snapshot.0', name], newestSnapshot: { name, bytes } });
    const others = ['n1', 'n2'].map((n) => nodeInput(n, logOf(range(E1(1), E1(11)))));
    expect(check([...others, n3(snap)], [acked(E1(5))]).verdict).toBe('valid');
    const torn = snap.subarray(0, snap.length - 3);
    const r = check([...others, n3(torn)], [acked(E1(5))]);
    expect(r.verdict).toBe('invalid');
    expect(r.kinds).toEqual(['invalid-snapshot', 'acked-write-missing']); // its name still explains the gap
  });
});

describe('ackedWrites', () => {
  const op = (o: Partial<Operation>): Operation => ({
    id: 0, process: 0, f: 'write', input: 1, output: 1, status: 'ok', invokeIndex: 0, completeIndex: 1,
    invokeTimeNs: 0, completeTimeNs: 10, zxid: E1(1), node: 'n1', session: '0x1', ...o,
  });

  it('keeps ok writes with a zxid, and never a read\'s zxid, a failure or an info', () => {
    const ops = [
      op({ id: 0 }), op({ id: 1, f: 'read' }), op({ id: 2, status: 'fail' }), op({ id: 3, status: 'info' }),
      op({ id: 4, f: 'dequeue' }), op({ id: 5, f: 'enqueue' }), op({ id: 6, f: 'cas', zxid: undefined }),
    ];
    expect(ackedWrites(ops).map((w) => w.opId)).toEqual([0, 5]);
  });
});
