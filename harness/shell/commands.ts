// The command table: name, zkCli's option string (for usage), the options it
// parses, the positional words it needs, and what it runs. Shell-level
// commands (connect, close, history, redo, printwatches, quit, help) are in
// shell.ts; they appear here for usage and completion.
import type { CommandContext } from './context.ts';
import * as misc from './commands-misc.ts';
import * as nodes from './commands-nodes.ts';
import type { OptionSpec, ParsedArgs } from './options.ts';

export interface CommandDef {
  /** As zkCli's usage prints it after the name. */
  usage: string;
  options: OptionSpec;
  /** Positional words needed, the command name included; fewer prints the usage as the error. */
  minArgs: number;
  run?: (ctx: CommandContext, parsed: ParsedArgs) => Promise<void>;
}

export const COMMANDS: Record<string, CommandDef> = {
  addauth: { usage: 'scheme auth', options: {}, minArgs: 2, run: misc.addauth },
  close: { usage: '', options: {}, minArgs: 1 },
  connect: { usage: 'host:port', options: {}, minArgs: 1 },
  create: { usage: '[-s] [-e] [-c] [-t ttl] path [data] [acl]', options: { flags: 'sec', valued: 't' }, minArgs: 2,
    run: nodes.create },
  delete: { usage: '[-v version] path', options: { valued: 'v' }, minArgs: 2, run: nodes.del },
  deleteall: { usage: 'path [-b batch size]', options: { valued: 'b' }, minArgs: 2, run: nodes.deleteall },
  get: { usage: '[-s] [-w] path', options: { flags: 'sw' }, minArgs: 2, run: nodes.get },
  getAcl: { usage: '[-s] path', options: { flags: 's' }, minArgs: 2, run: misc.getAcl },
  getAllChildrenNumber: { usage: 'path', options: {}, minArgs: 2, run: misc.getAllChildrenNumber },
  getEphemerals: { usage: 'path', options: {}, minArgs: 1, run: misc.getEphemerals },
  history: { usage: '', options: {}, minArgs: 1 },
  ls: { usage: '[-s] [-w] [-R] path', options: { flags: 'swR?' }, minArgs: 2, run: nodes.ls },
  printwatches: { usage: 'on|off', options: {}, minArgs: 1 },
  quit: { usage: '', options: {}, minArgs: 1 },
  redo: { usage: 'cmdno', options: {}, minArgs: 1 },
  set: { usage: '[-s] [-v version] path data', options: { flags: 's', valued: 'v' }, minArgs: 3, run: nodes.set },
  setAcl: { usage: '[-s] [-v version] [-R] path acl', options: { flags: 'sR', valued: 'v' }, minArgs: 3,
    run: misc.setAcl },
  stat: { usage: '[-w] path', options: { flags: 'w' }, minArgs: 2, run: nodes.stat },
  sync: { usage: 'path', options: {}, minArgs: 2, run: misc.sync },
  whoami: { usage: '', options: {}, minArgs: 1, run: misc.whoami },
};

export const COMMAND_NAMES: readonly string[] = [...Object.keys(COMMANDS), 'help'].sort();

/** zkCli's usage block (it prints it on stderr). */
export function usageText(): string {
  const names = Object.keys(COMMANDS).sort();
  return ['ZooKeeper -server host:port -client-configuration properties-file cmd args',
    ...names.map((n) => `\t${n} ${COMMANDS[n]!.usage}`)].join('\n') + '\n';
}
