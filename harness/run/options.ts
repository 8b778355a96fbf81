// The options of one run, their defaults and their validation (pure). A
// scenario file supplies a base; command-line flags override it. The command
// that reproduces a run is built from the final options.
import { FAULT_KINDS, isFaultKind, type FaultKind } from '../generator/faults.ts';
import { FAULT_PACKAGE_NAMES, faultPackage, isFaultPackage } from '../generator/packages.ts';
import type { NetOrigin } from '../net/select.ts';
import { PLACEMENTS, type Placement } from '../workload/types.ts';
import { parseBugList, UnknownBugError } from '../../server/bugs/catalog.ts';

export const TARGETS = ['reference', 'zookeeper'] as const;
export const RUNTIMES = ['process', 'docker'] as const;
export const NETS = ['proxy', 'netns', 'auto'] as const;

export interface RunOptions {
  workload: string;
  /** The scenario file's name, when the run came from one. */
  scenario?: string;
  nodes: number;
  /** How many of the `nodes` are observers (the last ones); the voters left must be 1 or odd. */
  observers: number;
  timeLimitS: number;
  concurrency: number;
  /** Client ops per second, all clients together. */
  rate: number;
  nemesis: FaultKind[];
  /** Fault packages (harness/generator/packages.ts) run in cycles instead of the random `nemesis` schedule. */
  faults: string[];
  /** Where clients connect: pinned (home node only), roaming (all nodes), mixed (one pinned per node, the rest roaming), leader. */
  placement: Placement;
  /** zoo.cfg snapCount (txns between snapshots); unset: the server's default (100,000). */
  snapCount?: number;
  /**
   * Extra zoo.cfg keys for every node, on both targets (e.g. snapshotSizeFactor, commitLogCount: Apache
   * ZooKeeper turns an unknown key k into the system property zookeeper.k). Keys the harness sets itself
   * (ports, dirs, ticks, server lines) are refused.
   */
  zooCfg?: Record<string, string>;
  /** Every node's dataDir on lazyfs (harness/disk): a kill loses what was not fsynced. */
  lazyfs: boolean;
  /** Mean seconds of quiet, then of fault, in the fault schedule. */
  nemesisIntervalS: number;
  target: (typeof TARGETS)[number];
  runtime: (typeof RUNTIMES)[number];
  net: (typeof NETS)[number];
  /** Where `net` came from: a flag, the scenario, or the default (for the log line that says why). */
  netOrigin?: NetOrigin;
  seed: number;
  out: string;
  /** Checker names overriding the workload's (comma list in flags). */
  checkers?: string[];
  checkTimeoutS: number;
  checkMemoryMb: number;
  sessionTimeoutMs: number;
  requestTimeoutMs: number;
  maxOps: number;
  /** Planted bugs the reference servers run with (server/bugs/catalog.ts); empty for a correct server. */
  bugs: string[];
}

export const DEFAULTS: Omit<RunOptions, 'workload' | 'seed' | 'out'> = {
  nodes: 1, observers: 0, timeLimitS: 20, concurrency: 5, rate: 50, nemesis: [], faults: [], placement: 'mixed', nemesisIntervalS: 5,
  target: 'reference', runtime: 'process', net: 'proxy',
  checkTimeoutS: 60, checkMemoryMb: 1024, sessionTimeoutMs: 6000, requestTimeoutMs: 3000, maxOps: 100_000, bugs: [], lazyfs: false,
};

export class OptionsError extends Error {
  readonly code = 'BAD_ARGUMENT';
}

const within = (name: string, v: number, lo: number, hi: number, integer = true): void => {
  if (!Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw new OptionsError(`${name} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], got ${v}`);
  }
};

function oneOf<T extends string>(name: string, v: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) throw new OptionsError(`${name} must be one of ${allowed.join(', ')}, got '${v}'`);
  return v as T;
}

/** Throws OptionsError on the first bad option. */
export function validate(o: RunOptions): RunOptions {
  within('--nodes', o.nodes, 1, 9);
  within('--observers', o.observers, 0, o.nodes - 1);
  const voters = o.nodes - o.observers;
  if (voters !== 1 && voters % 2 === 0) throw new OptionsError(`--nodes must be 1 or odd (3, 5, …) not counting observers, got ${voters} voter(s)`);
  within('--time-limit', o.timeLimitS, 1, 24 * 3600, false);
  within('--concurrency', o.concurrency, 1, 1000);
  within('--rate', o.rate, 0.01, 100_000, false);
  within('--nemesis-interval', o.nemesisIntervalS, 0.1, 3600, false);
  within('--seed', o.seed, 0, Number.MAX_SAFE_INTEGER);
  within('--check-timeout', o.checkTimeoutS, 1, 24 * 3600, false);
  within('--check-memory-mb', o.checkMemoryMb, 16, 1 << 20);
  within('--max-ops', o.maxOps, 1, 10_000_000);
  oneOf('--target', o.target, TARGETS);
  oneOf('--runtime', o.runtime, RUNTIMES);
  oneOf('--net', o.net, NETS);
  for (const k of o.nemesis) if (!isFaultKind(k)) throw new OptionsError(`unknown nemesis '${k}' (known: ${FAULT_KINDS.join(', ')})`);
  if (o.nemesis.includes('partition') && o.nodes < 3) throw new OptionsError('--nemesis partition needs --nodes 3 or more');
  validateFaults(o);
  try {
    o.bugs = parseBugList(o.bugs.join(','));
  } catch (err) {
    if (err instanceof UnknownBugError) throw new OptionsError(`--bugs: ${err.message}`);
    throw err;
  }
  if (o.bugs.length > 0 && o.target !== 'reference') throw new OptionsError(`--bugs plants bugs in the reference server only, not in target ${o.target}`);
  return o;
}

function validateFaults(o: RunOptions): void {
  for (const name of o.faults) {
    if (!isFaultPackage(name)) throw new OptionsError(`unknown fault package '${name}' (known: ${FAULT_PACKAGE_NAMES.join(', ')})`);
    const min = faultPackage(name).minNodes;
    if (o.nodes < min) throw new OptionsError(`--faults ${name} needs --nodes ${min} or more, got ${o.nodes}`);
    if (faultPackage(name).needsProxyNet === true && o.net === 'netns') throw new OptionsError(`--faults ${name} needs --net proxy (it holds clients through client-link faults)`);
  }
  if (o.faults.length > 0 && o.nemesis.length > 0) {
    throw new OptionsError('--faults (fault packages) and --nemesis (the random schedule) cannot be combined: give one of them');
  }
  oneOf('--placement', o.placement, PLACEMENTS);
  if (o.snapCount !== undefined) within('--snap-count', o.snapCount, 2, 100_000_000);
  validateZooCfg(o.zooCfg ?? {});
}

/** zoo.cfg keys that the harness writes itself (or that have their own option). */
const MANAGED_ZOO_CFG_KEYS = new Set(['tickTime', 'initLimit', 'syncLimit', 'dataDir', 'dataLogDir', 'clientPort',
  'clientPortAddress', 'secureClientPort', 'peerType', 'snapCount', 'dynamicConfigFile', 'standaloneEnabled']);

function validateZooCfg(cfg: Record<string, string>): void {
  for (const [key, value] of Object.entries(cfg)) {
    if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(key)) throw new OptionsError(`--zoo-cfg: bad key '${key}'`);
    if (MANAGED_ZOO_CFG_KEYS.has(key) || /^(server|group|weight)\./.test(key)) {
      throw new OptionsError(`--zoo-cfg: '${key}' is set by the harness${key === 'snapCount' ? ' (use --snap-count)' : ''}`);
    }
    if (/[\r\n]/.test(value) || value.trim() === '') throw new OptionsError(`--zoo-cfg: bad value for '${key}'`);
  }
}

/** `k=v,k2=v2` (from --zoo-cfg) as a record. */
export function parseZooCfg(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of parseList(s)) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new OptionsError(`--zoo-cfg: expected key=value, got '${pair}'`);
    out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return out;
}

export function parseList(s: string): string[] {
  return s.split(',').map((x) => x.trim()).filter((x) => x.length > 0);
}

/** The `zooproof run` command line that reproduces a run with these options. */
export function reproduceCommand(o: RunOptions): string {
  const args = [o.scenario ?? o.workload,
    '--nodes', o.nodes, '--time-limit', o.timeLimitS, '--concurrency', o.concurrency, '--rate', o.rate,
    ...(o.nemesis.length > 0 ? ['--nemesis', o.nemesis.join(',')] : ['--nemesis', 'none']),
    ...(o.nemesis.length > 0 || o.faults.length > 0 ? ['--nemesis-interval', o.nemesisIntervalS] : []),
    '--target', o.target, '--runtime', o.runtime, '--net', o.net, '--seed', o.seed];
  if (o.scenario !== undefined) args.push('--workload', o.workload);
  if (o.checkers) args.push('--checkers', o.checkers.join(','));
  if (o.bugs.length > 0) args.push('--bugs', o.bugs.join(','));
  if (o.faults.length > 0) args.push('--faults', o.faults.join(','));
  if (o.placement !== DEFAULTS.placement) args.push('--placement', o.placement);
  if (o.snapCount !== undefined) args.push('--snap-count', o.snapCount);
  if (o.zooCfg !== undefined && Object.keys(o.zooCfg).length > 0) {
    args.push('--zoo-cfg', Object.entries(o.zooCfg).map(([k, v]) => `${k}=${v}`).join(','));
  }
  if (o.lazyfs) args.push('--lazyfs');
  if (o.observers > 0) args.push('--observers', o.observers);
  if (o.sessionTimeoutMs !== DEFAULTS.sessionTimeoutMs) args.push('--session-timeout-ms', o.sessionTimeoutMs);
  return `zooproof run ${args.join(' ')}`;
}
