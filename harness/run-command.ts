// `zooproof run <workload|scenario> [options]`: parse and validate the
// options (a scenario file gives defaults, flags override), install the
// cleanup handlers (Ctrl-C, SIGTERM, a crash: every node, proxy, rule and
// clock undone), and run. Exit 0 valid, 1 invalid, 2 unknown, 254 bad
// arguments, 255 harness error.
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { EXIT_BAD_ARGS, newProgram } from './cli.ts';
import { installCleanupHandlers } from './cluster/cleanup.ts';
import { sweepBeforeRun } from './cluster/cleanup-command.ts';
import { REPO_ROOT } from './cluster/targets.ts';
import { FAULT_KINDS } from './generator/faults.ts';
import { DEFAULTS, NETS, OptionsError, parseList, parseZooCfg, RUNTIMES, TARGETS, validate, type RunOptions } from './run/options.ts';
import { executeRun } from './run/run.ts';
import { loadScenario, scenarioNames, type Scenario, type ScenarioMeta } from './run/scenario.ts';
import { workloadNames, WORKLOADS } from './workload/index.ts';
import { PLANTED_BUG_NAMES } from '../server/bugs/catalog.ts';
import { FAULT_PACKAGE_NAMES } from './generator/packages.ts';
import { PLACEMENTS } from './workload/types.ts';

interface Flags {
  workload?: string; nodes?: string; timeLimit?: string; concurrency?: string; rate?: string; nemesis?: string;
  nemesisInterval?: string; target?: string; runtime?: string; net?: string; seed?: string; out?: string;
  checkers?: string; checkTimeout?: string; checkMemoryMb?: string; sessionTimeoutMs?: string; requestTimeoutMs?: string; maxOps?: string; bugs?: string;
  faults?: string; placement?: string; snapCount?: string; zooCfg?: string; lazyfs?: boolean; observers?: string;
}

function program() {
  return newProgram('run')
    .description('run a workload (or a scenario from scenarios/) against an ensemble with faults, then check it')
    .argument('<workload|scenario>', `workload (${workloadNames().join(', ')}) or scenario (${scenarioNames().join(', ') || 'none'})`)
    .option('--workload <name>', 'the workload, when the first argument is a scenario')
    .option('--nodes <n>', `servers in the ensemble (1, 3, 5…; default ${DEFAULTS.nodes})`)
    .option('--time-limit <s>', `seconds of workload (default ${DEFAULTS.timeLimitS})`)
    .option('--concurrency <n>', `client threads (default ${DEFAULTS.concurrency})`)
    .option('--rate <r>', `client ops per second, all together (default ${DEFAULTS.rate})`)
    .option('--nemesis <list>', `faults: ${FAULT_KINDS.join(',')} or none`)
    .option('--nemesis-interval <s>', `mean seconds between fault changes (default ${DEFAULTS.nemesisIntervalS})`)
    .option('--target <name>', `system under test: ${TARGETS.join(', ')}`)
    .option('--runtime <name>', `node runtime: ${RUNTIMES.join(', ')}`)
    .option('--net <name>', `network mode: ${NETS.join(', ')}`)
    .option('--seed <n>', 'random seed (default: from the clock)')
    .option('--out <dir>', 'where runs are written', join(REPO_ROOT, 'reports'))
    .option('--checkers <list>', 'checker names, overriding the workload\'s')
    .option('--check-timeout <s>', `seconds per checker (default ${DEFAULTS.checkTimeoutS})`)
    .option('--check-memory-mb <n>', `memory budget of the checkers (default ${DEFAULTS.checkMemoryMb})`)
    .option('--session-timeout-ms <n>', `client session timeout (default ${DEFAULTS.sessionTimeoutMs})`)
    .option('--request-timeout-ms <n>', `client request timeout (default ${DEFAULTS.requestTimeoutMs})`)
    .option('--max-ops <n>', `bound on client ops (default ${DEFAULTS.maxOps})`)
    .option('--faults <list>', `fault packages aimed where bugs live (${FAULT_PACKAGE_NAMES.join(', ')}); instead of --nemesis`)
    .option('--placement <p>', `client placement: ${PLACEMENTS.join(', ')} (default ${DEFAULTS.placement}: one client pinned per server, the rest roaming)`)
    .option('--snap-count <n>', 'zoo.cfg snapCount: txns between snapshots (default: the server\'s, 100000)')
    .option('--zoo-cfg <key=value,...>', 'extra zoo.cfg keys for every node, both targets (e.g. snapshotSizeFactor=-1)')
    .option('--observers <k>', 'the last k nodes are observers (voters stay odd: --nodes 4 --observers 1)')
    .option('--lazyfs', 'every node\'s data on a FUSE disk that loses unsynced writes at each kill (root, fuse3)')
    .option('--bugs <list>', `planted bugs for the reference server (${PLANTED_BUG_NAMES.join(', ')}); off by default`);
}

const num = (s: string | undefined, flag: string): number | undefined => {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (s.trim() === '' || !Number.isFinite(n)) throw new OptionsError(`${flag} takes a number, got '${s}'`);
  return n;
};

const NO_META = { description: '', expect: 'valid', requires: [], catches: [], quick: false } as const;

function baseFor(name: string): { scenario?: string; base: Scenario } {
  if (Object.hasOwn(WORKLOADS, name)) return { base: { workload: name, meta: { ...NO_META, requires: [], catches: [] } } };
  if (scenarioNames().includes(name)) return { scenario: name, base: loadScenario(name) };
  throw new OptionsError(`'${name}' is neither a workload (${workloadNames().join(', ')}) nor a scenario (${scenarioNames().join(', ') || 'none'})`);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The final options: defaults, then the scenario, then the flags. Throws OptionsError. */
export function resolveOptions(name: string, f: Flags): RunOptions {
  return resolveRun(name, f).options;
}

/** The final options and, for a scenario, what it means (expected verdict, required events). */
export function resolveRun(name: string, f: Flags): { options: RunOptions; meta: ScenarioMeta } {
  const { scenario, base } = baseFor(name);
  const { description: _description, meta, ...fromScenario } = base;
  const nemesis = f.nemesis === undefined ? undefined : f.nemesis === 'none' ? [] : parseList(f.nemesis);
  const fromFlags = definedOnly({
    workload: f.workload, nodes: num(f.nodes, '--nodes'), timeLimitS: num(f.timeLimit, '--time-limit'),
    concurrency: num(f.concurrency, '--concurrency'), rate: num(f.rate, '--rate'), nemesis,
    nemesisIntervalS: num(f.nemesisInterval, '--nemesis-interval'), target: f.target, runtime: f.runtime, net: f.net,
    seed: num(f.seed, '--seed'), checkers: f.checkers === undefined ? undefined : parseList(f.checkers),
    checkTimeoutS: num(f.checkTimeout, '--check-timeout'), checkMemoryMb: num(f.checkMemoryMb, '--check-memory-mb'),
    sessionTimeoutMs: num(f.sessionTimeoutMs, '--session-timeout-ms'), requestTimeoutMs: num(f.requestTimeoutMs, '--request-timeout-ms'),
    maxOps: num(f.maxOps, '--max-ops'), bugs: f.bugs === undefined ? undefined : parseList(f.bugs),
    faults: f.faults === undefined ? undefined : f.faults === 'none' ? [] : parseList(f.faults),
    placement: f.placement, snapCount: num(f.snapCount, '--snap-count'), zooCfg: f.zooCfg === undefined ? undefined : parseZooCfg(f.zooCfg), lazyfs: f.lazyfs, observers: num(f.observers, '--observers'),
  });
  const o = { ...DEFAULTS, seed: Date.now() % 1_000_000, ...fromScenario, ...fromFlags, out: f.out ?? join(REPO_ROOT, 'reports') } as RunOptions;
  if (scenario !== undefined) o.scenario = scenario;
  o.netOrigin = fromFlags.net !== undefined ? 'flag' : fromScenario.net !== undefined ? 'scenario' : 'default';
  if (fromScenario.zooCfg !== undefined && fromFlags.zooCfg !== undefined) o.zooCfg = { ...fromScenario.zooCfg, ...fromFlags.zooCfg };
  for (const w of o.workload.split('+')) {
    if (!Object.hasOwn(WORKLOADS, w)) throw new OptionsError(`unknown workload '${w}' (known: ${workloadNames().join(', ')})`);
  }
  return { options: validate(o), meta };
}

export async function runCommand(args: string[]): Promise<number> {
  let options: RunOptions;
  let meta: ScenarioMeta;
  try {
    const p = program();
    p.parse(args, { from: 'user' });
    ({ options, meta } = resolveRun(p.args[0]!, p.opts<Flags>()));
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_BAD_ARGS;
    if (!(err instanceof OptionsError)) throw err;
    process.stderr.write(`zooproof run: ${err.message}\n`);
    return EXIT_BAD_ARGS;
  }
  installCleanupHandlers();
  await sweepBeforeRun(options.runtime === 'docker', (line) => process.stderr.write(`zooproof run: ${line}\n`));
  try {
    return (await executeRun(options, (text) => process.stdout.write(text), meta)).exitCode;
  } catch (err) {
    if (!(err instanceof OptionsError)) throw err;
    process.stderr.write(`zooproof run: ${err.message}\n`);
    return EXIT_BAD_ARGS;
  }
}
