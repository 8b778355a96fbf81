// Pure: lazyfs mounts as /proc/self/mounts lists them. Every mount carries
// the harness's pid in its fsname (`zooproof-lazyfs-<pid>-<n>`), so
// `zooproof cleanup` can tell a dead harness's mounts from a live one's.

export interface MountEntry {
  fsname: string;
  mountPoint: string;
  type: string;
}

export const LAZYFS_TYPE = 'fuse.lazyfs';
export const LAZYFS_FSNAME = /^zooproof-lazyfs-(\d+)-\d+$/;

export function lazyFsName(harnessPid: number, n: number): string {
  return `zooproof-lazyfs-${harnessPid}-${n}`;
}

/** The kernel writes space, tab, newline and backslash in mount fields as \ooo. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function parseMounts(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const [fsname, mountPoint, type] = line.split(' ');
    if (fsname === undefined || mountPoint === undefined || type === undefined) continue;
    out.push({ fsname: unescape(fsname), mountPoint: unescape(mountPoint), type });
  }
  return out;
}

/** The harness pid a lazyfs mount belongs to, or undefined for any other mount. */
export function lazyFsHarnessPid(m: MountEntry): number | undefined {
  if (m.type !== LAZYFS_TYPE) return undefined;
  const match = LAZYFS_FSNAME.exec(m.fsname);
  return match ? Number(match[1]) : undefined;
}
