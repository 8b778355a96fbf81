// One zkCli session: the connection, the numbered history, and the
// dispatch of a command line (zkCli's ZooKeeperMain.processZKCmd, in order:
// shell-level commands first, then "Not connected" if the session is gone,
// then the command table).
import { createClient, type WatchedEvent, type ZooKeeperClient } from '../../client/index.ts';
import { COMMANDS, usageText } from './commands.ts';
import { CliError, type CommandContext, type ShellIO } from './context.ts';
import { toCliError } from './errors.ts';
import { OptionError, parseOptions } from './options.ts';
import { tokenize } from './tokenize.ts';

export interface ShellOptions {
  server: string;
  timeoutMs: number;
  readOnly: boolean;
}

const HISTORY_SHOWN = 10;

export class Shell {
  zk: ZooKeeperClient | undefined;
  host: string;
  commandCount = 0;
  exitCode = 0;
  quitRequested = false;
  printWatches = true;
  readonly history = new Map<number, string>();
  private offSession: (() => void) | undefined;

  constructor(readonly io: ShellIO, readonly options: ShellOptions) {
    this.host = options.server;
  }

  readonly watcher = (e: WatchedEvent): void => {
    if (!this.printWatches) return;
    this.io.out(`\nWATCHER::\n\nWatchedEvent state:${e.state} type:${e.type} path:${e.path ?? 'null'}\n`);
  };

  /** zkCli's client state names (an expired session shows as CLOSED, as in Java). */
  get stateName(): string {
    const s = this.zk?.state;
    if (s === undefined) return 'NOT_CONNECTED';
    return s === 'EXPIRED' ? 'CLOSED' : s;
  }

  get isAlive(): boolean {
    const s = this.zk?.state;
    return s !== undefined && s !== 'CLOSED' && s !== 'EXPIRED' && s !== 'AUTH_FAILED';
  }

  prompt(): string {
    return `[zk: ${this.host}(${this.stateName}) ${this.commandCount}] `;
  }

  /** Closes any live session and opens a new one to `host` (it connects in the background). */
  async connect(host: string): Promise<void> {
    if (this.zk && this.isAlive) await this.close();
    this.host = host;
    const zk = createClient(host, { sessionTimeoutMs: this.options.timeoutMs, canBeReadOnly: this.options.readOnly });
    this.zk = zk;
    this.offSession = zk.onSessionEvent((e) => {
      if (e.state !== 'Closed') this.watcher({ type: 'None', state: e.state, path: null, zxid: -1 });
    });
  }

  async close(): Promise<void> {
    const zk = this.zk;
    if (!zk) return;
    await zk.close().catch(() => {});
    this.watcher({ type: 'None', state: 'Closed', path: null, zxid: -1 });
  }

  /** Ends without printing the Closed event (quit, end of a script). */
  async shutdown(): Promise<void> {
    this.offSession?.();
    await this.zk?.close().catch(() => {});
  }

  /** One interactive line: blank lines are ignored, others are numbered and kept in history. */
  async executeLine(line: string): Promise<void> {
    if (line === '') return;
    this.history.set(this.commandCount, line);
    await this.processWords(tokenize(line));
    this.commandCount += 1;
  }

  async processWords(words: string[]): Promise<void> {
    try {
      await this.dispatch(words);
      this.exitCode = 0;
    } catch (e) {
      const err = toCliError(e);
      if (!(err instanceof CliError)) throw err;
      this.exitCode = err.exitCode;
      this.io.err(`${err.message}\n`);
    }
  }

  private async dispatch(words: string[]): Promise<void> {
    const [name, ...rest] = words;
    if (name === undefined) {
      this.io.err(usageText());
      throw new CliError('No command entered');
    }
    if (name === 'help') return this.io.err(usageText());
    const def = COMMANDS[name];
    if (!def) {
      this.io.err(usageText());
      throw new CliError(`Command not found: Command not found ${name}`, 127);
    }
    if (await this.shellCommand(name, rest)) return;
    if (!this.zk || !this.isAlive) return this.io.out('Not connected\n');
    if (!def.run) return;
    let parsed;
    try {
      parsed = parseOptions(words, def.options);
    } catch (e) {
      if (e instanceof OptionError) throw new CliError(e.message);
      throw e;
    }
    if (parsed.args.length < def.minArgs) throw new CliError(`${name} ${def.usage}`);
    const ctx: CommandContext = { zk: this.zk, io: this.io, watcher: this.watcher };
    await def.run(ctx, parsed);
  }

  /** The commands zkCli handles itself; true when nothing else is to be done. */
  private async shellCommand(name: string, rest: string[]): Promise<boolean> {
    switch (name) {
      case 'quit':
        this.quitRequested = true;
        await this.shutdown();
        return true;
      case 'redo':
        return rest.length > 0 ? (await this.redo(rest[0]!), true) : false;
      case 'history':
        for (let i = Math.max(0, this.commandCount - HISTORY_SHOWN); i <= this.commandCount; i++) {
          this.io.out(`${i} - ${this.history.get(i)}\n`);
        }
        return false;
      case 'printwatches':
        if (rest.length === 0) this.io.out(`printwatches is ${this.printWatches ? 'on' : 'off'}\n`);
        else this.printWatches = rest[0] === 'on';
        return false;
      case 'connect':
        await this.connect(rest[0] ?? this.host);
        return false;
      case 'close':
        if (!this.zk || !this.isAlive) return false;
        await this.close();
        return true;
      default:
        return false;
    }
  }

  private async redo(indexText: string): Promise<void> {
    const index = Number(indexText);
    if (!Number.isInteger(index) || index < 0 || index >= this.commandCount) {
      throw new CliError('Command index out of range');
    }
    const line = this.history.get(index)!;
    const words = tokenize(line);
    if (words[0] === 'redo') throw new CliError('No redoing redos');
    this.history.set(this.commandCount, line);
    await this.processWords(words);
  }
}
