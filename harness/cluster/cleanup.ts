// Everything the harness creates outside its own memory (processes,
// namespaces, iptables rules, containers, clock files) is registered here with
// the action that undoes it. Teardown runs the actions newest first. On
// SIGINT / SIGTERM / an uncaught error the same actions run before exit; if
// the process exits without that chance, each action's synchronous variant
// runs from the 'exit' event (kill by pid, `ip netns del`, `docker rm -f`).

export interface CleanupAction {
  label: string;
  run: () => Promise<void>;
  /** Best effort without the event loop, for process 'exit'. */
  runSync: () => void;
}

export class CleanupRegistry {
  private readonly actions = new Map<number, CleanupAction>();
  private nextId = 0;
  private exitHookInstalled = false;

  /** Registers an action; the returned function unregisters it (call it after undoing the thing yourself). */
  add(action: CleanupAction): () => void {
    const id = this.nextId++;
    this.actions.set(id, action);
    this.installExitHook();
    return () => {
      this.actions.delete(id);
    };
  }

  get size(): number {
    return this.actions.size;
  }

  labels(): string[] {
    return [...this.actions.values()].map((a) => a.label);
  }

  /** Runs every action newest first; failures are collected, not thrown midway. */
  async runAll(log: (msg: string) => void = () => {}): Promise<string[]> {
    const failures: string[] = [];
    const ids = [...this.actions.keys()].sort((a, b) => b - a);
    for (const id of ids) {
      const action = this.actions.get(id);
      if (action === undefined) continue;
      this.actions.delete(id);
      try {
        await action.run();
      } catch (err) {
        const why = `${action.label}: ${err instanceof Error ? err.message : String(err)}`;
        failures.push(why);
        log(`cleanup failed: ${why}`);
      }
    }
    return failures;
  }

  runAllSync(): void {
    const ids = [...this.actions.keys()].sort((a, b) => b - a);
    for (const id of ids) {
      const action = this.actions.get(id)!;
      this.actions.delete(id);
      try {
        action.runSync();
      } catch {
        // best effort: the process is exiting
      }
    }
  }

  private installExitHook(): void {
    if (this.exitHookInstalled) return;
    this.exitHookInstalled = true;
    process.once('exit', () => this.runAllSync());
  }
}

/** The registry of this process. */
export const cleanup = new CleanupRegistry();

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * On SIGINT / SIGTERM / SIGHUP or an uncaught error: run every cleanup action,
 * then exit (128 + signal number, or 255 for a crash). A second signal while
 * cleaning up exits at once through the synchronous path.
 */
export function installCleanupHandlers(registry: CleanupRegistry = cleanup, log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`)): void {
  let cleaning = false;
  const finish = (why: string, code: number) => {
    if (cleaning) {
      registry.runAllSync();
      process.exit(code);
    }
    cleaning = true;
    log(`zooproof: ${why}: cleaning up ${registry.size} resource(s)`);
    registry.runAll(log).finally(() => process.exit(code));
  };
  for (const [signal, code] of Object.entries(SIGNAL_EXIT)) process.on(signal, () => finish(`received ${signal}`, code));
  process.on('uncaughtException', (err) => finish(`crash: ${err.stack ?? String(err)}`, 255));
  process.on('unhandledRejection', (err) => finish(`crash: ${err instanceof Error ? err.stack : String(err)}`, 255));
}
