// Scenario files: one declarative plan per file in scenarios/ (JSON, no
// logic), validated by a zod schema: what runs (target, nodes, workloads,
// client placement, faults, checkers: any run option), what a correct server
// must give (`expect`), what must happen for the run to mean anything
// (`requires`: a TRUNC, a SNAP…), and which planted bugs it is meant to catch.
// `zooproof run <name>` loads scenarios/<name>.json.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PLANTED_BUG_NAMES } from '../../server/bugs/catalog.ts';
import { OptionsError, type RunOptions } from './options.ts';

export const SCENARIO_DIR = resolve(fileURLToPath(new URL('../../scenarios', import.meta.url)));

/** Cluster events a scenario can require; a run where one did not happen is `unknown`, never `valid`. */
export const REQUIREMENTS = ['TRUNC', 'DIFF', 'SNAP', 'election', 'snapshot', 'session-expiry'] as const;
export type Requirement = (typeof REQUIREMENTS)[number];

const positive = z.number().positive();
const count = z.number().int().positive();

/** Run options a scenario may set (their values are checked again by `validate`). */
const runOptionsShape = {
  workload: z.string().min(1).optional(),
  workloads: z.array(z.string().min(1)).min(1).optional(),
  nodes: count.optional(),
  timeLimitS: positive.optional(),
  concurrency: count.optional(),
  rate: positive.optional(),
  nemesis: z.array(z.string()).optional(),
  nemesisIntervalS: positive.optional(),
  faults: z.array(z.string()).optional(),
  placement: z.string().optional(),
  snapCount: count.optional(),
  /** Extra zoo.cfg keys for every node (see RunOptions.zooCfg). */
  zooCfg: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).optional(),
  lazyfs: z.boolean().optional(),
  observers: z.number().int().nonnegative().optional(),
  target: z.enum(['reference', 'zookeeper']).optional(),
  runtime: z.enum(['process', 'docker']).optional(),
  net: z.enum(['proxy', 'netns', 'auto']).optional(),
  checkers: z.array(z.string()).optional(),
  checkTimeoutS: positive.optional(),
  checkMemoryMb: count.optional(),
  sessionTimeoutMs: count.optional(),
  requestTimeoutMs: count.optional(),
  maxOps: count.optional(),
  seed: z.number().int().nonnegative().optional(),
  bugs: z.array(z.enum(PLANTED_BUG_NAMES as [string, ...string[]])).optional(),
};

export const scenarioSchema = z.strictObject({
  description: z.string().min(1),
  /** The verdict a correct server must give; `invalid` on a scenario aimed at a known bug of its target (Apache ZooKeeper 3.8.0). */
  expect: z.enum(['valid', 'invalid']).default('valid'),
  requires: z.array(z.enum(REQUIREMENTS)).default([]),
  /** Planted bugs (server/bugs/catalog.ts) this scenario is meant to catch. */
  catches: z.array(z.enum(PLANTED_BUG_NAMES as [string, ...string[]])).default([]),
  /** Part of the quick nightly (CI). */
  quick: z.boolean().default(false),
  ...runOptionsShape,
}).refine((s) => (s.workload === undefined) !== (s.workloads === undefined), {
  message: "give exactly one of 'workload' or 'workloads'",
});

export type ScenarioFile = z.infer<typeof scenarioSchema>;

export interface ScenarioMeta {
  description: string;
  expect: 'valid' | 'invalid';
  requires: Requirement[];
  catches: string[];
  quick: boolean;
}

/** A parsed scenario: its meaning, and the run options it sets. */
export type Scenario = Partial<Omit<RunOptions, 'out' | 'scenario'>> & { lazyfs?: boolean; faults?: string[]; placement?: string; snapCount?: number }
  & { workload: string; description?: string; meta: ScenarioMeta };

export function scenarioNames(dir = SCENARIO_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
}

function issueText(name: string, error: z.ZodError): string {
  const lines = error.issues.map((i) => {
    const where = i.path.length > 0 ? `'${i.path.join('.')}'` : '(top level)';
    return `  ${where}: ${i.message}`;
  });
  return `scenario ${name}:\n${lines.join('\n')}`;
}

/** Checks a parsed scenario file against the schema; OptionsError lists every problem. */
export function parseScenario(name: string, value: unknown): Scenario {
  const parsed = scenarioSchema.safeParse(value);
  if (!parsed.success) throw new OptionsError(issueText(name, parsed.error));
  const { description, expect, requires, catches, quick, workload, workloads, ...options } = parsed.data;
  const names = workloads ?? [workload!];
  const meta: ScenarioMeta = { description, expect, requires, catches, quick };
  return { ...(options as Partial<RunOptions>), workload: names.join('+'), description, meta };
}

export function loadScenario(name: string, dir = SCENARIO_DIR): Scenario {
  const file = join(dir, `${name}.json`);
  if (!/^[A-Za-z0-9._-]+$/.test(name) || !existsSync(file)) {
    throw new OptionsError(`unknown scenario '${name}' (known: ${scenarioNames(dir).join(', ') || 'none'})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new OptionsError(`scenario ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseScenario(name, parsed);
}

/** Every scenario in `dir`, parsed; a bad file is an OptionsError naming it. */
export function loadAllScenarios(dir = SCENARIO_DIR): Map<string, Scenario> {
  return new Map(scenarioNames(dir).map((n) => [n, loadScenario(n, dir)]));
}
