// `zooproof cluster`: start an ensemble (any target, runtime and net mode),
// optionally apply nemesis ops, print one JSON status line, and keep it up
// until Ctrl-C / SIGTERM (or --hold-ms), then remove everything. For poking
// at an ensemble by hand, and for the test that kills a harness mid-run.
import { InvalidArgumentError, Option } from 'commander';
import { newProgram } from '../cli.ts';
import { mulberry32 } from '../generator/rng.ts';
import { grudgeToJson } from '../net/grudge.ts';
import { NET_MODES } from '../net/types.ts';
import { clusterContext } from '../nemesis/context.ts';
import { fullNemesis } from '../nemesis/index.ts';
import { cleanup, installCleanupHandlers } from './cleanup.ts';
import { sweepBeforeRun } from './cleanup-command.ts';
import type { Cluster } from './cluster.ts';
import { createCluster } from './create.ts';
import { RUNTIME_NAMES, TARGET_NAMES, type RuntimeName, type TargetName } from './types.ts';

function nodeCount(value: string): string {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 9) throw new InvalidArgumentError('an ensemble has 1 to 9 nodes');
  return value;
}

function collectOp(value: string, acc: string[]): string[] {
  let op: unknown;
  try {
    op = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError('not JSON');
  }
  if (typeof (op as { f?: unknown } | null)?.f !== 'string') throw new InvalidArgumentError('an op is {"f": "<name>", "value": …}');
  return [...acc, value];
}

interface CliOptions {
  target: TargetName;
  runtime: RuntimeName;
  net: 'netns' | 'proxy' | 'auto';
  nodes: string;
  faketime?: boolean;
  op: string[];
  seed: string;
  holdMs?: string;
  crashAfterMs?: string;
  baseDir?: string;
}

async function status(cluster: Cluster): Promise<Record<string, unknown>> {
  return {
    runDir: cluster.runDir,
    net: cluster.net.mode,
    netns: cluster.net.netnsPath ?? null,
    connectString: cluster.connectString,
    leader: (await cluster.leader()) ?? null,
    pids: Object.fromEntries(cluster.nodes.map((n) => [n, cluster.db.pid(n) ?? null])),
    grudge: grudgeToJson(cluster.net.currentGrudge()),
    cleanup: cleanup.labels(),
  };
}

export async function clusterCommand(args: string[]): Promise<number> {
  const program = newProgram('cluster')
    .description('start an ensemble, apply nemesis ops, hold it until Ctrl-C')
    .addOption(new Option('--target <name>', 'system under test').choices(TARGET_NAMES).default('reference'))
    .addOption(new Option('--runtime <name>', 'how nodes run').choices(RUNTIME_NAMES).default('process'))
    .addOption(new Option('--net <mode>', 'network control (auto: netns when root, else proxy)').choices([...NET_MODES, 'auto']).default('auto'))
    .option('--nodes <n>', 'ensemble size (1-9)', nodeCount, '3')
    .option('--faketime', 'preload libfaketime so clock ops work')
    .option('--op <json>', 'a nemesis op, e.g. {"f":"start-partition","value":{"kind":"isolate-leader"}} (repeatable)', collectOp, [] as string[])
    .option('--seed <n>', 'seed for random choices', '1')
    .option('--base-dir <dir>', 'make the run directory here and keep it (default: a temp dir, removed at the end)')
    .option('--hold-ms <ms>', 'tear down after this long instead of waiting for a signal')
    .option('--crash-after-ms <ms>', 'throw an uncaught error after this long (to check that a crash cleans up too)');
  program.parse(args, { from: 'user' });
  const o = program.opts<CliOptions>();
  installCleanupHandlers();
  await sweepBeforeRun(o.runtime === 'docker', (line) => process.stderr.write(`zooproof cluster: ${line}\n`));
  const cluster = await createCluster({ target: o.target, runtime: o.runtime, net: o.net, nodeCount: Number(o.nodes), faketime: o.faketime ?? false, random: mulberry32(Number(o.seed)),
    ...(o.baseDir !== undefined ? { baseDir: o.baseDir } : {}) });
  const nemesis = fullNemesis();
  await nemesis.setup(clusterContext(cluster, mulberry32(Number(o.seed) + 1)));
  const completions = [];
  for (const text of o.op) completions.push({ op: JSON.parse(text) as unknown, ...(await nemesis.invoke(JSON.parse(text))) });
  process.stdout.write(`${JSON.stringify({ ...(await status(cluster)), completions })}\n`);
  if (o.crashAfterMs !== undefined) setTimeout(() => { throw new Error('crash requested by --crash-after-ms'); }, Number(o.crashAfterMs));
  if (o.holdMs === undefined) await new Promise<never>(() => {});
  await new Promise((r) => setTimeout(r, Number(o.holdMs)));
  await nemesis.teardown();
  await cluster.teardown();
  return 0;
}
