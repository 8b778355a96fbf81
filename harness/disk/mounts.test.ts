import { describe, expect, it } from 'vitest';
import { describeLeftover, planSweep } from '../cluster/leftovers.ts';
import { lazyFsHarnessPid, lazyFsName, parseMounts } from './mounts.ts';
import { parseStats } from './lazyfs.ts';

const MOUNTS = [
  'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0',
  'zooproof-lazyfs-300-0 /tmp/run\\040dir/n1/data fuse.lazyfs rw,nosuid,nodev,relatime,user_id=0,group_id=0 0 0',
  'zooproof-lazyfs-100-1 /tmp/r/n2/data fuse.lazyfs rw 0 0',
  'zooproof-lazyfs-300-2 /tmp/other fuse.sshfs rw 0 0',
  'lazyfs /tmp/x fuse.lazyfs rw 0 0',
  '',
].join('\n');

describe('lazyfs mounts', () => {
  it('parses /proc/self/mounts, undoing the kernel’s octal escapes', () => {
    const m = parseMounts(MOUNTS);
    expect(m).toHaveLength(5);
    expect(m[1]).toEqual({ fsname: 'zooproof-lazyfs-300-0', mountPoint: '/tmp/run dir/n1/data', type: 'fuse.lazyfs' });
  });

  it('reads the harness pid only from a lazyfs mount with a zooproof fsname', () => {
    expect(parseMounts(MOUNTS).map(lazyFsHarnessPid)).toEqual([undefined, 300, 100, undefined, undefined]);
    expect(lazyFsName(42, 3)).toBe('zooproof-lazyfs-42-3');
  });

  it('sweeps the mounts of dead harnesses only', () => {
    const plan = planSweep({ netns: [], containers: [], shm: [], mounts: parseMounts(MOUNTS) }, (pid) => pid === 100);
    expect(plan).toEqual([{ kind: 'lazyfs-mount', mountPoint: '/tmp/run dir/n1/data', fsname: 'zooproof-lazyfs-300-0', harnessPid: 300 }]);
    expect(describeLeftover(plan[0]!)).toBe('lazyfs mount /tmp/run dir/n1/data (zooproof-lazyfs-300-0, harness pid 300, gone)');
  });

  it('parses the control file’s counters and rejects a garbled line', () => {
    expect(parseStats('unsynced_files=2 kept_pages=7 fsync_delay_ms=500 fail=fsync crashes=1\n'))
      .toEqual({ unsyncedFiles: 2, keptPages: 7, fsyncDelayMs: 500, fail: 'fsync', crashes: 1 });
    expect(() => parseStats('unsynced_files=2 kept_pages=7 fsync_delay_ms=500 fail=maybe crashes=1')).toThrow(/fail=maybe/);
    expect(() => parseStats('kept_pages=7 fsync_delay_ms=500 fail=off crashes=1')).toThrow(/unsynced_files/);
  });
});
