// Target selection: CONFORMANCE_TARGETS=apache,zooproof,zooproof-ensemble,apache-ensemble
// (default: DEFAULT_TARGET_NAMES).
import { isApacheZooKeeperAvailable, startApacheZooKeeper } from './apache-zk.ts';
import { ensembleTargetAvailability, isEnsembleTarget, startEnsembleTarget } from './ensemble-target.ts';
import { describeIfAvailable, type Availability } from './skip.ts';
import { DEFAULT_TARGET_NAMES, TARGET_NAMES, type Target, type TargetName } from './target.ts';
import { isZooproofServerAvailable, startZooproofServer } from './zooproof-server.ts';
import type { TargetOptions } from './zoo-cfg.ts';

export type { Target, TargetName } from './target.ts';
export type { TargetOptions } from './zoo-cfg.ts';

export function selectedTargets(): TargetName[] {
  return parseTargets(process.env.CONFORMANCE_TARGETS);
}

export function parseTargets(env: string | undefined): TargetName[] {
  if (env === undefined || env.trim() === '') return [...DEFAULT_TARGET_NAMES];
  const names = env.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const n of names) {
    if (!(TARGET_NAMES as readonly string[]).includes(n)) {
      throw new Error(`CONFORMANCE_TARGETS: unknown target '${n}' (known: ${TARGET_NAMES.join(', ')})`);
    }
  }
  return names as TargetName[];
}

export function targetAvailability(name: TargetName): Availability {
  if (isEnsembleTarget(name)) return ensembleTargetAvailability(name);
  return name === 'apache' ? isApacheZooKeeperAvailable() : isZooproofServerAvailable();
}

export function startTarget(name: TargetName, opts: TargetOptions = {}): Promise<Target> {
  if (isEnsembleTarget(name)) return startEnsembleTarget(name, opts);
  return name === 'apache' ? startApacheZooKeeper(opts) : startZooproofServer(opts);
}

/** One describe block per selected target, skipped (or failed under CI) when the target cannot run here. */
export function forEachTarget(title: string, body: (name: TargetName) => void): void {
  for (const name of selectedTargets()) {
    describeIfAvailable(`${title} [${name}]`, targetAvailability(name), () => body(name));
  }
}
