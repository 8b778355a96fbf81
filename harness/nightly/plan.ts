// The nightly's job list (pure): the scenario catalog on the correct
// reference server over several seeds, each planted bug with the scenarios
// meant to catch it, and the catalog on Apache ZooKeeper. Jobs are dealt
// round-robin across the three kinds so that a small budget still covers
// each, and sharded by position so n machines split one deterministic list.
import { PLANTED_BUGS } from '../../server/bugs/catalog.ts';

export type JobKind = 'bug' | 'correct' | 'zookeeper';

export interface NightlyJob {
  id: string;
  kind: JobKind;
  scenario: string;
  seed: number;
  target: 'reference' | 'zookeeper';
  /** Planted bug (kind `bug` only). */
  bug?: string;
  /** The scenario's workload seconds (for the budget and time-to-detect). */
  timeLimitS: number;
  /** The verdict the scenario expects (`invalid`: it reproduces a known bug of its target). */
  expect?: 'valid' | 'invalid';
}

export interface ScenarioInfo {
  name: string;
  target: 'reference' | 'zookeeper';
  timeLimitS: number;
  catches: readonly string[];
  quick: boolean;
  expect?: 'valid' | 'invalid';
  /** A reference scenario that needs the reference server (planted bugs, its fault file): not run on Apache. */
  referenceOnly: boolean;
}

export interface PlanOptions {
  seeds: number;
  /** Seeds a bug gets per scenario before it counts as not caught there. */
  bugSeeds: number;
  quick: boolean;
  shard: { index: number; count: number };
  firstSeed: number;
  /** Only these bugs (default: all in the catalog). */
  bugs?: readonly string[];
  zookeeper: boolean;
  /** Run the catalog on the correct reference server (default true). */
  correct?: boolean;
  /** Only these scenarios (default: the whole catalog, or the quick ones). */
  scenarios?: readonly string[];
}

function correctJobs(scenarios: readonly ScenarioInfo[], o: PlanOptions): NightlyJob[] {
  const out: NightlyJob[] = [];
  if (o.correct === false) return out;
  for (let k = 0; k < o.seeds; k++) {
    for (const s of scenarios) {
      if (s.target !== 'reference') continue;
      const seed = o.firstSeed + k;
      out.push({ id: `correct/${s.name}/${seed}`, kind: 'correct', scenario: s.name, seed, target: 'reference', timeLimitS: s.timeLimitS });
    }
  }
  return out;
}

function zookeeperJobs(scenarios: readonly ScenarioInfo[], o: PlanOptions): NightlyJob[] {
  if (!o.zookeeper) return [];
  const out: NightlyJob[] = [];
  for (let k = 0; k < o.seeds; k++) {
    for (const s of scenarios) {
      if (s.target !== 'zookeeper' && s.referenceOnly) continue;
      const seed = o.firstSeed + k;
      out.push({ id: `zookeeper/${s.name}/${seed}`, kind: 'zookeeper', scenario: s.name, seed, target: 'zookeeper', timeLimitS: s.timeLimitS,
        ...(s.target === 'zookeeper' && s.expect === 'invalid' ? { expect: 'invalid' as const } : {}) });
    }
  }
  return out;
}

/** The scenarios meant to catch `bug`, the quick ones (the surest) first. */
function bugScenarios(scenarios: readonly ScenarioInfo[], bug: string): ScenarioInfo[] {
  const mine = scenarios.filter((x) => x.catches.includes(bug) && x.target === 'reference');
  return [...mine.filter((x) => x.quick), ...mine.filter((x) => !x.quick)];
}

/** Per bug: its scenarios (quick first), each for `bugSeeds` seeds; bugs interleaved. */
function bugJobs(scenarios: readonly ScenarioInfo[], o: PlanOptions): NightlyJob[] {
  const bugs = (o.bugs ?? PLANTED_BUGS.map((b) => b.name));
  const perBug = bugs.map((bug) => {
    const jobs: NightlyJob[] = [];
    for (let k = 0; k < o.bugSeeds; k++) {
      for (const s of bugScenarios(scenarios, bug)) {
        const seed = o.firstSeed + k;
        jobs.push({ id: `bug/${bug}/${s.name}/${seed}`, kind: 'bug', scenario: s.name, seed, target: 'reference', bug, timeLimitS: s.timeLimitS });
      }
    }
    return jobs;
  });
  return interleave(perBug);
}

export function interleave<T>(lists: readonly (readonly T[])[]): T[] {
  const out: T[] = [];
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}

export function planNightly(all: readonly ScenarioInfo[], o: PlanOptions): NightlyJob[] {
  const chosen = o.scenarios === undefined ? all : all.filter((s) => o.scenarios!.includes(s.name));
  const scenarios = o.quick ? chosen.filter((s) => s.quick) : chosen;
  const jobs = interleave([bugJobs(scenarios, o), correctJobs(scenarios, o), zookeeperJobs(scenarios, o)]);
  return jobs.filter((_, i) => i % o.shard.count === o.shard.index);
}

/** `i/n` (1-based i, as CI matrices count) → { index: i-1, count: n }. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!(n >= 1 && i >= 1 && i <= n)) throw new RangeError(`--shard must be i/n with 1 <= i <= n, got '${text}'`);
  return { index: i - 1, count: n };
}
