// Format compatibility with real Apache ZooKeeper 3.8 (Debian's package):
// - a data dir written by ZooKeeper recovers with our code (snapshot seal,
//   log records, checksums, padding, file names);
// - txns we append to that data dir are replayed by ZooKeeper on restart;
// - ZooKeeper's own TxnLogToolkit reads a log file we wrote.
// Skipped (with the reason) when java or the zookeeper package is missing.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { NodeDisk } from '../io/disk.ts';
import { records } from '../wire/index.ts';
import { isApacheZooKeeperAvailable, startApacheZooKeeper, ZOOKEEPER_JAR } from '../../test/support/apache-zk.ts';
import { NzkClient } from '../../test/support/nzk.ts';
import { describeIfAvailable } from '../../test/support/skip.ts';
import type { Target } from '../../test/support/target.ts';
import { recover } from './recovery.ts';
import { TxnLog } from './txn-log.ts';

const OPCODE_CREATE = 1;
const OPCODE_SET_DATA = 5;

function createTxn(zxid: number, path: string, data: string): Uint8Array {
  const header = records.TxnHeader.encode({ clientId: 0n, cxid: 1, zxid, time: 1_700_000_000_000, type: OPCODE_CREATE });
  const body = records.CreateTxn.encode({
    path, data: new TextEncoder().encode(data), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }],
    ephemeral: false, parentCVersion: -1,
  });
  const txn = new Uint8Array(header.length + body.length);
  txn.set(header);
  txn.set(body, header.length);
  return txn;
}

const typeOf = (txn: Uint8Array) => records.TxnHeader.decode(txn).type;

describeIfAvailable('storage formats against Apache ZooKeeper 3.8', isApacheZooKeeperAvailable(), () => {
  let target: Target | null = null;
  const disk = new NodeDisk();

  afterAll(async () => {
    await disk.close();
    await target?.stop();
  });

  it('recovers a data dir ZooKeeper wrote, and ZooKeeper replays txns we appended to it', async () => {
    target = await startApacheZooKeeper();
    const client = await NzkClient.connect(target.connectString);
    await client.create('/a', Buffer.from('1'));
    await client.create('/b', Buffer.from('2'));
    await client.setData('/a', Buffer.from('3'));
    await client.close();
    await target.kill(); // SIGKILL: the log ends in its preallocated zeros

    const options = { dataDir: target.dataDir, dataLogDir: target.dataDir };
    const r = await recover(disk, options);
    expect(r.warnings).toEqual([]);
    expect(r.snapshot).not.toBeNull();
    const types = r.entries.map((e) => typeOf(e.txn));
    expect(types.filter((t) => t === OPCODE_CREATE)).toHaveLength(2);
    expect(types).toContain(OPCODE_SET_DATA);
    r.entries.forEach((e, i) => i > 0 && expect(e.zxid).toBe(r.entries[i - 1]!.zxid + 1));

    const log = await TxnLog.open(disk, { dataLogDir: target.dataDir });
    log.append(createTxn(r.lastZxid + 1, '/fromZooproof', 'written by zooproof'));
    await log.commit();
    await log.close();

    await target.restart();
    const again = await NzkClient.connect(target.connectString);
    try {
      expect((await again.getData('/fromZooproof')).data?.toString()).toBe('written by zooproof');
      expect((await again.getData('/a')).data?.toString()).toBe('3');
    } finally {
      await again.close();
    }
  }, 90_000);

  it("ZooKeeper's TxnLogToolkit reads a log file we wrote", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zooproof-txnlog-'));
    try {
      const log = await TxnLog.open(disk, { dataLogDir: dir, preAllocSizeBytes: 64 * 1024 });
      for (let i = 1; i <= 3; i++) log.append(createTxn(0x100000000 + i, `/n${i}`, `v${i}`));
      await log.commit();
      await log.close();
      const { stdout } = await promisify(execFile)(
        'java',
        ['-cp', ZOOKEEPER_JAR, 'org.apache.zookeeper.server.persistence.TxnLogToolkit', '-d', join(dir, 'version-2', 'log.100000001')],
        { timeout: 60_000 },
      );
      expect(stdout).toContain('txnlog format version 2');
      for (let i = 1; i <= 3; i++) expect(stdout).toContain(`zxid 0x10000000${i} create /n${i},v${i}`);
      expect(stdout).toContain('EOF reached after 3 txns');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
