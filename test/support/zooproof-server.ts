// `zooproof server <zoo.cfg>` as a child process. It reads the same zoo.cfg;
// the Java system properties ZooKeeper takes as -D flags are passed the way
// zkServer.sh passes them, in SERVER_JVMFLAGS.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { available, unavailable, type Availability } from './skip.ts';
import { startManagedTarget, type Target } from './target.ts';
import { jvmFlags, type TargetOptions } from './zoo-cfg.ts';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BIN = join(REPO_ROOT, 'bin', 'zooproof.mjs');
const SERVER_MAIN = join(REPO_ROOT, 'server', 'main.ts');
const START_TIMEOUT_MS = 20_000;

export function isZooproofServerAvailable(): Availability {
  if (!existsSync(BIN)) return unavailable(`${BIN} missing`);
  if (!existsSync(SERVER_MAIN)) return unavailable(`${SERVER_MAIN} not written yet (the reference server)`);
  return available;
}

export function startZooproofServer(opts: TargetOptions = {}): Promise<Target> {
  return startManagedTarget('zooproof', opts, (cfg, cfgPath, workDir, port) => {
    const whitelist = opts.fourLetterWhitelist ?? '*';
    return {
      label: `zooproof server on 127.0.0.1:${port}`,
      command: process.execPath,
      args: [BIN, 'server', cfgPath],
      env: { SERVER_JVMFLAGS: jvmFlags(cfg.systemProperties).join(' ') },
      cwd: workDir,
      logFile: join(workDir, 'server.log'),
      host: '127.0.0.1',
      port,
      ruokEnabled: whitelist === '*' || whitelist.split(',').map((w) => w.trim()).includes('ruok'),
      startTimeoutMs: START_TIMEOUT_MS,
    };
  });
}
