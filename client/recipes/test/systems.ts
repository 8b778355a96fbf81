// The systems the recipe tests run against, each with one fault: a 3-node
// ensemble whose leader is killed (SIGKILL) and restarted, and a standalone
// `zooproof server` that is killed and restarted. RECIPES_TARGETS selects the
// ensembles (default: apache; add `reference` once the reference server runs
// ensembles); the standalone zooproof server always runs.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createClient, type ZooKeeperClient } from '../../index.ts';
import {
  Ensemble, ensembleAvailability, selectedEnsembleKinds, type EnsembleKind, type EnsembleNode,
} from '../../../test/recipes-support/ensemble.ts';
import { describeIfAvailable } from '../../../test/support/skip.ts';
import { startTarget, targetAvailability, type Target } from '../../../test/support/targets.ts';

export interface System {
  label: string;
  connectString: string;
  /** Kills the leader (or the only server). */
  fault(): Promise<void>;
  /** Restarts what `fault` killed; resolves once it serves again. */
  heal(): Promise<void>;
  stop(): Promise<void>;
  logTail(): string;
}

async function ensembleSystem(kind: EnsembleKind): Promise<System> {
  const ensemble = await Ensemble.start(kind, 3, { tickTimeMs: 500 });
  await ensemble.waitLeader();
  let killed: EnsembleNode | undefined;
  return {
    label: `${kind} 3-node ensemble`,
    connectString: ensemble.connectString,
    fault: async () => { killed = await ensemble.killLeader(); },
    heal: async () => {
      if (killed) await ensemble.restart(killed);
      killed = undefined;
      await ensemble.waitLeader();
    },
    stop: () => ensemble.stop(),
    logTail: () => ensemble.logTails(),
  };
}

async function standaloneSystem(): Promise<System> {
  const target: Target = await startTarget('zooproof', { tickTimeMs: 500 });
  let down = false;
  return {
    label: 'zooproof standalone',
    connectString: target.connectString,
    fault: async () => { await target.kill(); down = true; },
    heal: async () => { if (down) await target.restart(); down = false; },
    stop: () => target.stop(),
    logTail: () => target.logTail(),
  };
}

export interface SystemFixture {
  system(): System;
  /** A connected client, closed after the test. */
  client(sessionTimeoutMs?: number): Promise<ZooKeeperClient>;
  /** Fault now, heal after `downMs` (in the background); await the returned promise before checking. */
  faultFor(downMs: number): Promise<void>;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not within ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function useSystem(start: () => Promise<System>): SystemFixture {
  let sys: System | undefined;
  let healing: Promise<void> = Promise.resolve();
  const open: ZooKeeperClient[] = [];
  /** Heals one at a time (a test's background heal and afterEach's may overlap). */
  const heal = (): Promise<void> => {
    healing = healing.catch(() => {}).then(() => sys?.heal());
    return healing;
  };
  beforeAll(async () => { sys = await start(); }, 90_000);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => withTimeout(c.close(), 5000, 'close').catch(() => {})));
    await heal();
  }, 60_000);
  afterAll(async () => { await sys?.stop(); }, 60_000);
  const fixture: SystemFixture = {
    system: () => {
      if (!sys) throw new Error('system not started');
      return sys;
    },
    async client(sessionTimeoutMs = 10_000) {
      const zk = createClient(fixture.system().connectString, { sessionTimeoutMs });
      open.push(zk);
      await withTimeout(zk.waitConnected(), 20_000, 'connect');
      return zk;
    },
    async faultFor(downMs) {
      await fixture.system().fault();
      await sleep(downMs);
      await heal();
    },
  };
  return fixture;
}

/** One describe block per system under test (skipped with a reason, or failed under CI, when it cannot run). */
export function forEachSystem(title: string, body: (fx: SystemFixture) => void): void {
  for (const kind of selectedEnsembleKinds()) {
    describeIfAvailable(`${title} [${kind} ensemble, leader kill]`, ensembleAvailability(kind),
      () => body(useSystem(() => ensembleSystem(kind))));
  }
  describeIfAvailable(`${title} [zooproof standalone, kill + restart]`, targetAvailability('zooproof'),
    () => body(useSystem(standaloneSystem)));
}

let pathCounter = 0;
export function uniquePath(prefix: string): string {
  pathCounter += 1;
  return `/recipes-${prefix}-${process.pid}-${pathCounter}`;
}
