// `zooproof server <zoo.cfg>`: one ZooKeeper-compatible server in the
// foreground, configured from zoo.cfg and dataDir/myid as ZooKeeper reads them.
// Bad configuration, an unusable dataDir, a taken or unbindable port: one clear
// line, exit 1. Once running, an unrecoverable error (txn log, snapshot, quorum
// peer, an error nothing handled) logs one `fatal:` line and ends the process
// with a stable non-zero code (exit-codes.ts), as ZooKeeper exits.
import { parseBugList, plantedBugsWarning, UnknownBugError, type PlantedBugSet } from './bugs/catalog.ts';
import { loadConfig } from './config/index.ts';
import type { ZooConfig } from './config/types.ts';
import { startStandalone, type RunningServer } from './io/standalone.ts';
import { startEnsembleMember } from './io/ensemble.ts';
import { describeInternalError, EXIT_CODES_HELP, ServerExitCode, type Fatal } from './io/exit-codes.ts';
import { describeStartError } from './io/start-errors.ts';
import { applySystemProperties, parseJvmFlags } from './io/system-properties.ts';

/** How long a failed server may take to close its ports and files before the process exits anyway. */
const FATAL_STOP_GRACE_MS = 3000;
const USAGE = 'usage: zooproof server <zoo.cfg>';

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} ${msg}\n`);
}

function fail(msg: string): number {
  process.stderr.write(`zooproof server: ${msg}\n`);
  return ServerExitCode.START_FAILED;
}

/**
 * Logs the one fatal line, closes what it can within FATAL_STOP_GRACE_MS and
 * exits. Never returns to serving: a supervisor (or the harness) restarts it.
 */
function dieWith(fatal: Fatal, running: RunningServer | undefined): void {
  const code = ServerExitCode[fatal.kind];
  log(`fatal: ${fatal.reason} (exit ${code})`);
  const stopped = running === undefined ? Promise.resolve() : running.stop().catch(() => undefined);
  const grace = new Promise<void>((resolve) => setTimeout(resolve, FATAL_STOP_GRACE_MS).unref());
  void Promise.race([stopped, grace]).then(() => process.exit(code));
}

/** Errors nothing handled (in a socket handler, a timer, a promise) end the server with INTERNAL_ERROR. */
function onUnhandled(fatal: (f: Fatal) => void): () => void {
  const handler = (e: unknown) => fatal({ kind: 'INTERNAL_ERROR', reason: describeInternalError(e) });
  process.on('uncaughtException', handler);
  process.on('unhandledRejection', handler);
  return () => {
    process.off('uncaughtException', handler);
    process.off('unhandledRejection', handler);
  };
}

export async function serverCommand(args: string[]): Promise<number> {
  const cfgPath = args.find((a) => !a.startsWith('-'));
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n\n${EXIT_CODES_HELP}\n`);
    return 0;
  }
  if (!cfgPath) {
    process.stderr.write(`${USAGE}\n`);
    return ServerExitCode.USAGE;
  }
  // Planted bugs (docs/planted-bugs.md): read once here, passed down as an option.
  let plantedBugs: PlantedBugSet;
  try {
    plantedBugs = new Set(parseBugList(process.env.ZOOPROOF_BUGS));
  } catch (e) {
    if (e instanceof UnknownBugError) return fail(`ZOOPROOF_BUGS: ${e.message}`);
    throw e;
  }
  let running: RunningServer | undefined;
  let dying = false;
  const fatal = (f: Fatal) => {
    if (dying) return;
    dying = true;
    dieWith(f, running);
  };
  const stopWatching = onUnhandled(fatal);
  let config: ZooConfig | undefined;
  try {
    const loaded = await loadConfig(cfgPath);
    const warnings = loaded.warnings;
    const jvmFlags = `${process.env.SERVER_JVMFLAGS ?? ''} ${process.env.JVMFLAGS ?? ''}`;
    try {
      config = applySystemProperties(loaded.config, parseJvmFlags(jvmFlags));
    } catch (e) {
      stopWatching();
      return fail(`SERVER_JVMFLAGS: ${(e as Error).message}`);
    }
    for (const w of warnings) log(`WARN ${w}`);
    const bugWarning = plantedBugsWarning(plantedBugs);
    if (bugWarning !== null) log(`WARN ${bugWarning}`);
    running = config.standalone ? await startStandalone(config, log, plantedBugs) : await startEnsembleMember(config, log, plantedBugs);
  } catch (e) {
    stopWatching();
    const line = describeStartError(e, config);
    if (line !== undefined) return fail(line);
    throw e;
  }
  void running.failed.then(fatal);
  return await new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      if (dying) return;
      dying = true;
      log(`received ${signal}, shutting down`);
      running.stop().then(() => resolve(ServerExitCode.STOPPED), (err: unknown) => {
        log(`shutdown failed: ${String(err)}`);
        resolve(ServerExitCode.INTERNAL_ERROR);
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
