// `zooproof server <zoo.cfg>`: one ZooKeeper-compatible server in the
// foreground, configured from zoo.cfg and dataDir/myid as ZooKeeper reads them.
// Bad configuration, a missing dataDir or a taken port: one clear line, exit 1.
import { parseBugList, plantedBugsWarning, UnknownBugError, type PlantedBugSet } from './bugs/catalog.ts';
import { ConfigError, loadConfig } from './config/index.ts';
import { startStandalone, type RunningServer } from './io/standalone.ts';
import { startEnsembleMember } from './io/ensemble.ts';
import { StorageError } from './storage/errors.ts';
import { applySystemProperties, parseJvmFlags } from './io/system-properties.ts';

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} ${msg}\n`);
}

function fail(msg: string): number {
  process.stderr.write(`zooproof server: ${msg}\n`);
  return 1;
}

export async function serverCommand(args: string[]): Promise<number> {
  const cfgPath = args.find((a) => !a.startsWith('-'));
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('usage: zooproof server <zoo.cfg>\n');
    return 0;
  }
  if (!cfgPath) {
    process.stderr.write('usage: zooproof server <zoo.cfg>\n');
    return 254;
  }
  // Planted bugs (docs/planted-bugs.md): read once here, passed down as an option.
  let plantedBugs: PlantedBugSet;
  try {
    plantedBugs = new Set(parseBugList(process.env.ZOOPROOF_BUGS));
  } catch (e) {
    if (e instanceof UnknownBugError) return fail(`ZOOPROOF_BUGS: ${e.message}`);
    throw e;
  }
  let running: RunningServer;
  try {
    const loaded = await loadConfig(cfgPath);
    const warnings = loaded.warnings;
    const jvmFlags = `${process.env.SERVER_JVMFLAGS ?? ''} ${process.env.JVMFLAGS ?? ''}`;
    let config;
    try {
      config = applySystemProperties(loaded.config, parseJvmFlags(jvmFlags));
    } catch (e) {
      return fail(`SERVER_JVMFLAGS: ${(e as Error).message}`);
    }
    for (const w of warnings) log(`WARN ${w}`);
    const bugWarning = plantedBugsWarning(plantedBugs);
    if (bugWarning !== null) log(`WARN ${bugWarning}`);
    running = config.standalone ? await startStandalone(config, log, plantedBugs) : await startEnsembleMember(config, log, plantedBugs);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof StorageError) return fail(e.message);
    if (e instanceof Error && 'code' in e && e.code === 'EADDRINUSE') {
      return fail(`client port is already in use: ${(e as Error & { port?: number }).port ?? ''} (${e.message})`);
    }
    if (e instanceof Error && 'code' in e && (e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL')) {
      return fail(`cannot bind the client port: ${e.message}`);
    }
    throw e;
  }
  return await new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      log(`received ${signal}, shutting down`);
      running.stop().then(() => resolve(0), (err: unknown) => {
        log(`shutdown failed: ${String(err)}`);
        resolve(1);
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    running.failed.then((reason) => {
      log(`fatal: ${reason}`);
      resolve(2);
    });
  });
}
