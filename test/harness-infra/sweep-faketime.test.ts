// `zooproof cleanup` right after a harness was SIGKILLed: its namespace still
// holds a node, with libfaketime's files in /dev/shm under the node's pid.
// One sweep removes the namespace, kills the node and, once it is gone, its
// libfaketime files too (a second sweep used to be needed).
import { existsSync, rmSync } from 'node:fs';
import { execa, type ResultPromise } from 'execa';
import { afterAll, expect, it } from 'vitest';
import { isAlive, sweepLeftovers } from '../../harness/cluster/leftovers.ts';
import { LIBFAKETIME } from '../../harness/cluster/node-db.ts';
import { describeIfAvailable } from '../support/skip.ts';
import { all, faketimeAvailability, netnsAvailability, waitFor } from './support.ts';

const shmFiles = (pid: number) => [`/dev/shm/faketime_shm_${pid}`, `/dev/shm/sem.faketime_sem_${pid}`];
let namespace: string | undefined;
let node: ResultPromise | undefined;

afterAll(async () => {
  if (node?.pid !== undefined) {
    try { process.kill(node.pid, 'SIGKILL'); } catch { /* gone */ }
    await node;
    for (const f of shmFiles(node.pid)) rmSync(f, { force: true });
  }
  if (namespace !== undefined) await execa('ip', ['netns', 'del', namespace], { reject: false });
});

describeIfAvailable('cleanup after a SIGKILLed netns harness', all(await netnsAvailability(), faketimeAvailability()), () => {
  it('removes the namespace and its node\'s libfaketime files in one sweep', async () => {
    const exited = execa('true');
    const deadHarness = exited.pid!; // a pid that is no longer alive, as a killed harness's
    await exited;
    expect(isAlive(deadHarness)).toBe(false);
    namespace = `zooproof-${deadHarness}-7`;
    await execa('ip', ['netns', 'add', namespace]);
    node = execa('nsenter', [`--net=/run/netns/${namespace}`, '--', 'sleep', '60'], {
      reject: false, env: { LD_PRELOAD: LIBFAKETIME, FAKETIME: '+0' }, stdin: 'ignore',
    });
    const pid = node.pid!;
    await waitFor('libfaketime files of the node', 10_000, async () => (shmFiles(pid).every(existsSync) ? true : undefined));

    const lines = await sweepLeftovers(null);

    expect(lines).toContain(`removed network namespace ${namespace} (harness pid ${deadHarness}, gone)`);
    expect(lines).toContain(`removed libfaketime file /dev/shm/faketime_shm_${pid} (pid ${pid}, gone)`);
    expect(lines).toContain(`removed libfaketime file /dev/shm/sem.faketime_sem_${pid} (pid ${pid}, gone)`);
    expect(shmFiles(pid).filter(existsSync)).toEqual([]);
    expect(isAlive(pid)).toBe(false);
    expect((await execa('ip', ['netns', 'list'])).stdout).not.toContain(namespace);
    namespace = undefined;
  });
});
