// The node image, made without a registry: the harness assembles a tiny root
// filesystem (merged-/usr symlinks, /etc/passwd, /tmp) and `docker import`s it
// through dockerode. Binaries and libraries are not copied: containers get the
// host's /usr (and the target's own paths) as read-only bind mounts, so the
// image holds only what no mount provides.
import { mkdirSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { run } from '../net/command.ts';

/** Read-only mounts every node container gets (the host's programs and libraries). */
export const SYSTEM_MOUNTS = ['/usr', '/etc/alternatives', '/etc/ssl', '/etc/ld.so.cache'] as const;

export function assembleRootfs(dir: string): void {
  for (const d of ['usr', 'etc', 'tmp', 'proc', 'sys', 'dev', 'run', 'var/tmp']) mkdirSync(join(dir, d), { recursive: true });
  chmodSync(join(dir, 'tmp'), 0o1777);
  chmodSync(join(dir, 'var/tmp'), 0o1777);
  for (const link of ['bin', 'lib', 'lib64', 'sbin']) symlinkSync(`usr/${link}`, join(dir, link));
  writeFileSync(join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n');
  writeFileSync(join(dir, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
  writeFileSync(join(dir, 'etc/nsswitch.conf'), 'passwd: files\ngroup: files\nhosts: files dns\n');
}

function drain(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.on('data', (d: Buffer) => { text += String(d); });
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

/** Builds `repo:tag` from a freshly assembled root filesystem under `workDir`. */
export async function importNodeImage(docker: Docker, workDir: string, repo: string, tag: string): Promise<void> {
  const rootfs = join(workDir, 'rootfs');
  assembleRootfs(rootfs);
  const tarPath = join(workDir, 'rootfs.tar');
  await run(['tar', '-C', rootfs, '-cf', tarPath, '.']);
  const progress = await drain(await docker.importImage(tarPath, { repo, tag }));
  if (/"error"/.test(progress)) throw new Error(`docker import failed: ${progress}`);
}
