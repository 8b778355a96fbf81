// loadConfig against real files in a temporary directory (no ports, no sleeps).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, ConfigErrorCode } from './errors.ts';
import { loadConfig } from './load.ts';

const root = mkdtempSync(join(tmpdir(), 'zooproof-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function setup(cfg: (dataDir: string) => string, files: Record<string, string> = {}): string {
  const dir = join(root, `case${n++}`);
  mkdirSync(join(dir, 'data'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const path = join(dir, 'zoo.cfg');
  writeFileSync(path, cfg(join(dir, 'data')));
  return path;
}

async function failure(path: string): Promise<ConfigError> {
  try { await loadConfig(path); } catch (e) { if (e instanceof ConfigError) return e; throw e; }
  throw new Error('loadConfig did not fail');
}

const QUORUM = 'initLimit=5\nsyncLimit=2\nserver.1=127.0.0.1:2888:3888;2181\nserver.2=127.0.0.2:2888:3888;2181\nserver.3=127.0.0.3:2888:3888;2181\n';

describe('loadConfig', () => {
  it('loads a standalone configuration', async () => {
    const path = setup((d) => `dataDir=${d}\nclientPort=2181\nfoo=1\n`);
    const { config, warnings } = await loadConfig(path);
    expect(config).toMatchObject({ standalone: true, clientPort: 2181, serverId: undefined, fileName: path });
    expect(warnings).toEqual([`${path}: unknown key "foo" ignored (ZooKeeper would set the system property zookeeper.foo)`]);
  });

  it('reads myid of a quorum member', async () => {
    const path = setup((d) => `dataDir=${d}\n${QUORUM}`, { 'data/myid': '2\n' });
    const { config } = await loadConfig(path);
    expect(config).toMatchObject({ standalone: false, serverId: 2, clientPort: 2181 });
  });

  it('names a missing configuration file', async () => {
    const e = await failure(join(root, 'nope.cfg'));
    expect([e.code, e.message]).toEqual([ConfigErrorCode.UNREADABLE, `${join(root, 'nope.cfg')}: cannot read the configuration file (ENOENT)`]);
  });

  it('names a dataDir that does not exist or is a file', async () => {
    const missing = setup((d) => `dataDir=${d}/absent\nclientPort=1\n`);
    expect((await failure(missing)).message).toMatch(/: dataDir \/.*\/data\/absent does not exist$/);
    const file = setup((d) => `dataDir=${d}/f\nclientPort=1\n`, { 'data/f': '' });
    const e = await failure(file);
    expect([e.code, e.message.endsWith('/data/f is not a directory')]).toEqual([ConfigErrorCode.DATA_DIR, true]);
    const log = setup((d) => `dataDir=${d}\ndataLogDir=${d}/nolog\nclientPort=1\n`);
    expect((await failure(log)).message).toMatch(/: dataLogDir \/.*\/nolog does not exist$/);
  });

  it('refuses a quorum member without myid, or with a bad one', async () => {
    const none = setup((d) => `dataDir=${d}\n${QUORUM}`);
    expect((await failure(none)).message).toMatch(/\/data\/myid: myid file is missing$/);
    const bad = setup((d) => `dataDir=${d}\n${QUORUM}`, { 'data/myid': 'one\n' });
    expect((await failure(bad)).message).toMatch(/\/data\/myid: serverid "one" is not a number$/);
    const absent = setup((d) => `dataDir=${d}\n${QUORUM}`, { 'data/myid': '4' });
    expect((await failure(absent)).message).toMatch(/my id 4 is not in the peer list \(server.1, server.2, server.3\)$/);
  });

  it('resolves a relative dataDir from the working directory, with a warning', async () => {
    const path = setup(() => 'dataDir=.\nclientPort=1\n');
    const { config, warnings } = await loadConfig(path);
    expect(config.dataDir).toBe(process.cwd());
    expect(warnings).toEqual([`${path}: dataDir . is relative (resolved from ${process.cwd()})`,
      `${path}: dataLogDir . is relative (resolved from ${process.cwd()})`]);
  });

  it('reads the file as ISO-8859-1, as Properties.load', async () => {
    const path = setup((d) => `dataDir=${d}\nclientPort=1\nsnapCount=7\n`);
    writeFileSync(path, Buffer.concat([Buffer.from(`dataDir=${join(path, '..', 'data')}\nclientPort=1\nx=`), Buffer.from([0xe9]), Buffer.from('\n')]));
    const { config } = await loadConfig(path);
    expect(config.properties.get('x')).toBe('\u00e9');
  });
});
