// `zooproof`: one binary, several subcommands. Each subcommand lives in its own
// module and is loaded only when used, so `zooproof server` does not pay for
// the harness and vice versa. Exit codes follow Jepsen: 0 valid, 1 invalid,
// 2 unknown, 254 bad arguments, 255 internal error.
import { Command, CommanderError } from 'commander';
import { InfraError } from './cluster/errors.ts';

export const EXIT_BAD_ARGS = 254;
export const EXIT_INTERNAL = 255;

type Handler = (args: string[]) => Promise<number>;

const subcommands: Record<string, { summary: string; load: () => Promise<Handler> }> = {
  server: {
    summary: 'run one ZooKeeper-compatible server: zooproof server <zoo.cfg>',
    load: async () => (await import('../server/main.ts')).serverCommand,
  },
  check: {
    summary: 'check recorded histories: zooproof check <history>... --model <name>',
    load: async () => (await import('./checker/cli.ts')).checkCommand,
  },
  list: { summary: 'list the scenarios, one line each', load: async () => (await import('./list-command.ts')).listCommand },
  nightly: {
    summary: 'the nightly matrix: catalog on the correct server, planted bugs, Apache ZooKeeper (zooproof nightly --help)',
    load: async () => (await import('./nightly/command.ts')).nightlyCommand,
  },
  run: { summary: 'run a workload or scenario against an ensemble with faults, then check it', load: async () => (await import('./run-command.ts')).runCommand },
  cluster: {
    summary: 'start an ensemble (--target, --runtime, --net), apply nemesis ops, hold it until Ctrl-C',
    load: async () => (await import('./cluster/cli.ts')).clusterCommand,
  },
  cleanup: {
    summary: 'remove namespaces, containers and files left by a harness that was killed (zooproof cleanup [--dry-run])',
    load: async () => (await import('./cluster/cleanup-command.ts')).cleanupCommand,
  },
  report: {
    summary: 'rebuild a run\'s HTML report, re-checking its history (zooproof report <run-dir>), or the runs\' index (--index <dir>)',
    load: async () => (await import('./report-command.ts')).reportCommand,
  },
  serve: { summary: 'serve the reports folder on 127.0.0.1 (zooproof serve [--port N] [--dir D])', load: async () => (await import('./serve-command.ts')).serveCommand },
  shell: { summary: 'ZooKeeper shell (zkCli): zooproof shell -server host:port[,…] [command]', load: async () => (await import('./shell/command.ts')).shellCommand },
};

function usage(): string {
  const lines = Object.entries(subcommands).map(([name, s]) => `  ${name.padEnd(8)} ${s.summary}`);
  return ['usage: zooproof <command> [options]', '', 'commands:', ...lines, ''].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? EXIT_BAD_ARGS : 0;
  }
  const sub = subcommands[name];
  if (!sub) {
    process.stderr.write(`zooproof: unknown command '${name}'\n${usage()}`);
    return EXIT_BAD_ARGS;
  }
  try {
    const handler = await sub.load();
    return await handler(rest);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_BAD_ARGS;
    if (err instanceof InfraError) {
      // An environment problem (a node did not start, no root, no docker): one line, no stack.
      process.stderr.write(`zooproof ${name}: ${err.code}: ${err.message}\n`);
      return EXIT_INTERNAL;
    }
    process.stderr.write(`zooproof ${name}: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
    return EXIT_INTERNAL;
  }
}

/** A commander program that reports bad arguments with exit 254 instead of exiting the process. */
export function newProgram(name: string): Command {
  return new Command(`zooproof ${name}`).exitOverride().configureOutput({
    writeErr: (s) => process.stderr.write(s),
  });
}
