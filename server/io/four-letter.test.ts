// ruok says imok while the server runs, LOOKING included (as Apache ZooKeeper
// 3.8, checked: a lone member of a 3-server ensemble answers imok and srvr
// "not currently serving"); once the server failed for good, nothing.
import { describe, expect, it } from 'vitest';
import { parseZooCfg } from '../config/zoo-cfg.ts';
import { ZooKeeperServer } from '../core/zk-server.ts';
import { StandaloneReplicator } from '../core/standalone-replicator.ts';
import { DataTree } from '../tree/data-tree.ts';
import { fourLetterText } from './four-letter.ts';
import { serverOptionsOf } from './server-snapshot.ts';

const config = parseZooCfg('tickTime=2000\ndataDir=/d\nclientPort=2181\n4lw.commands.whitelist=*\n', 'zoo.cfg');
const code = (word: string) => new DataView(new TextEncoder().encode(word).buffer).getInt32(0);

function server(role: 'standalone' | 'down') {
  const rep = new StandaloneReplicator(0, { append: () => {} });
  return new ZooKeeperServer(new DataTree(true), rep, { nowMs: () => 0 }, serverOptionsOf(config, 1), () => {}, role);
}

describe('ruok', () => {
  it('imok while serving, and while down (LOOKING), as ZooKeeper', () => {
    expect(fourLetterText(code('ruok'), server('standalone'), config, 2181, 0)).toBe('imok');
    expect(fourLetterText(code('ruok'), server('down'), config, 2181, 0)).toBe('imok');
  });

  it('no answer once the server failed for good (it is exiting)', () => {
    const zk = server('standalone');
    zk.onStorageFailure('txn log failed');
    expect(fourLetterText(code('ruok'), zk, config, 2181, 0)).toBe('');
    expect(fourLetterText(code('srvr'), zk, config, 2181, 0)).toMatch(/not currently serving/);
  });
});
