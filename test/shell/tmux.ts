// Driving a program through a pseudo-terminal with tmux: start it in a
// detached session, type lines, wait for the screen to show something, read
// the whole scrollback. Sessions are killed by name (each one is ours: a
// unique name per run).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

let counter = 0;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

export function hasTmux(): boolean {
  try {
    tmux('-V');
    return true;
  } catch {
    return false;
  }
}

export const JLINE_JARS = ['/usr/share/java/jline2.jar', '/usr/share/java/jansi1.jar'];
export const hasJline = () => JLINE_JARS.every((j) => existsSync(j));

export class TmuxSession {
  readonly name = `zooproof-shell-${process.pid}-${++counter}`;
  /** Each session has its own tmux server (socket), so parallel test files never share one that is exiting. */
  private readonly tmux = (...args: string[]) => tmux('-L', this.name, ...args);

  constructor(command: string[], env: Record<string, string> = {}) {
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const quoted = command.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
    this.tmux('new-session', '-d', '-s', this.name, '-x', '250', '-y', '50', ...envArgs, `${quoted}; sleep 600`);
    this.tmux('set-option', '-t', this.name, 'history-limit', '50000');
  }

  type(line: string): void {
    this.tmux('send-keys', '-t', this.name, '-l', line);
    this.tmux('send-keys', '-t', this.name, 'Enter');
  }

  screen(): string {
    return this.tmux('capture-pane', '-t', this.name, '-p', '-J', '-S', '-50000');
  }

  async waitFor(probe: (screen: string) => boolean, timeoutMs: number, what: string): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (probe(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`tmux ${this.name}: not within ${timeoutMs} ms: ${what}\n${screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(): void {
    try { this.tmux('kill-server'); } catch { /* already gone */ }
  }
}
