// `zooproof shell -server host:port[,…] [-timeout ms] [-r] [command args…]`:
// zkCli's flags. With a command it runs that one command and exits with its
// status (0, 1 for a failed command, 127 for an unknown one); without, it is
// interactive. `-h`, `-help` or `--help` before any command prints the usage
// and connects to nothing.
import { Shell, type ShellOptions } from './shell.ts';
import { runInteractive } from './repl.ts';
import { COMMANDS, usageText } from './commands.ts';

const DEFAULT_SERVER = 'localhost:2181';
const DEFAULT_TIMEOUT_MS = 30_000;

export interface ShellArgs {
  options: ShellOptions;
  /** The command and its words, if one was given. */
  command: string[] | undefined;
  /** Help was asked for: print the usage, connect to nothing. */
  help?: boolean;
}

const HELP_FLAGS = new Set(['-h', '-help', '--help']);

export const SHELL_USAGE = `Usage: zooproof shell [-server host:port[,host:port…]] [-timeout ms] [-r] [command args…]

ZooKeeper's zkCli. With a command, runs it and exits (0, 1 if it failed, 127 if
unknown); without one, interactive.

Options:
  -server host:port[,…]  the ensemble to connect to (default ${DEFAULT_SERVER})
  -timeout ms            session timeout (default ${DEFAULT_TIMEOUT_MS})
  -r                     read-only mode
  -h, --help             this help

Commands:
`;

/** zkCli's own argument scan: flags until the first word not starting with '-', then the command. */
export function parseShellArgs(argv: readonly string[]): ShellArgs | string {
  const options: ShellOptions = { server: DEFAULT_SERVER, timeoutMs: DEFAULT_TIMEOUT_MS, readOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (HELP_FLAGS.has(word)) return { options, command: undefined, help: true };
    if (word === '-r') options.readOnly = true;
    else if (word === '-server' || word === '-timeout') {
      const value = argv[++i];
      if (value === undefined) return `Error: no argument found for option ${word}`;
      if (word === '-server') options.server = value;
      else options.timeoutMs = Number(value);
      if (!(options.timeoutMs > 0)) return `Error: bad -timeout ${value}`;
    } else if (!word.startsWith('-')) return { options, command: argv.slice(i) };
  }
  return { options, command: undefined };
}

const io = {
  out: (text: string) => { process.stdout.write(text); },
  err: (text: string) => { process.stderr.write(text); },
};

export async function shellCommand(args: string[]): Promise<number> {
  const parsed = parseShellArgs(args);
  if (typeof parsed === 'string') {
    process.stderr.write(`${parsed}\n`);
    return 254;
  }
  if (parsed.help) {
    io.out(SHELL_USAGE + usageText().split('\n').slice(1).join('\n'));
    return 0;
  }
  const shell = new Shell(io, parsed.options);
  io.out(`Connecting to ${parsed.options.server}\n`);
  await shell.connect(parsed.options.server);
  if (parsed.command !== undefined) return runOnce(shell, parsed.command);
  io.out('Welcome to ZooKeeper!\n');
  await runInteractive(shell, process.stdin, process.stdout);
  await shell.shutdown();
  return shell.exitCode;
}

async function runOnce(shell: Shell, words: string[]): Promise<number> {
  try {
    // An unknown command fails at once, as in zkCli (which does not wait for its connection either).
    if (words[0] !== undefined && words[0] in COMMANDS) {
      await shell.zk!.waitConnected(shell.options.timeoutMs).catch(() => {});
    }
    await shell.processWords(words);
  } finally {
    await shell.shutdown();
  }
  return shell.exitCode;
}
