// `zooproof list`: every scenario in scenarios/, one line each (name, what it
// does, what it needs, which planted bugs it is meant to catch). A file that
// does not validate is listed with its error, and the exit code is 254.
import { EXIT_BAD_ARGS, newProgram } from './cli.ts';
import { OptionsError } from './run/options.ts';
import { loadScenario, scenarioNames, SCENARIO_DIR, type Scenario } from './run/scenario.ts';

function shape(s: Scenario): string {
  const faults = [...(s.nemesis ?? []), ...((s as { faults?: string[] }).faults ?? [])];
  const parts = [s.target ?? 'reference', `${s.nodes ?? 1}n`, s.workload, faults.length > 0 ? faults.join(',') : 'no faults'];
  if (s.meta.requires.length > 0) parts.push(`needs ${s.meta.requires.join(',')}`);
  return parts.join(' · ');
}

export function listLines(dir = SCENARIO_DIR): { lines: string[]; bad: number } {
  const names = scenarioNames(dir);
  const width = Math.max(8, ...names.map((n) => n.length));
  let bad = 0;
  const lines = names.map((name) => {
    try {
      const s = loadScenario(name, dir);
      const catches = s.meta.catches.length > 0 ? `  [catches ${s.meta.catches.join(', ')}]` : '';
      return `${name.padEnd(width)}  ${s.meta.description}\n${' '.repeat(width)}  ${shape(s)}${catches}`;
    } catch (err) {
      if (!(err instanceof OptionsError)) throw err;
      bad++;
      return `${name.padEnd(width)}  INVALID: ${err.message.replace(/\n/g, ' ')}`;
    }
  });
  return { lines, bad };
}

export async function listCommand(args: string[]): Promise<number> {
  const p = newProgram('list').description('list the scenarios in scenarios/ (run one with zooproof run <name>)')
    .option('--names', 'names only, one per line');
  p.parse(args, { from: 'user' });
  if (p.opts<{ names?: boolean }>().names) {
    process.stdout.write(scenarioNames().map((n) => `${n}\n`).join(''));
    return 0;
  }
  const { lines, bad } = listLines();
  process.stdout.write(`${lines.join('\n')}\n`);
  return bad > 0 ? EXIT_BAD_ARGS : 0;
}
