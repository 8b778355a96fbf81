// Scenario files: one declarative plan per file in scenarios/ (JSON, no logic):
// the workload and any run option. `zooproof run <name>` loads scenarios/<name>.json.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OptionsError, type RunOptions } from './options.ts';

export const SCENARIO_DIR = resolve(fileURLToPath(new URL('../../scenarios', import.meta.url)));

/** Keys a scenario may set, with the JSON type each must have. */
const KEYS: Record<string, 'string' | 'number' | 'string[]'> = {
  description: 'string', workload: 'string', nodes: 'number', timeLimitS: 'number', concurrency: 'number', rate: 'number',
  nemesis: 'string[]', nemesisIntervalS: 'number', target: 'string', runtime: 'string', net: 'string',
  checkers: 'string[]', checkTimeoutS: 'number', checkMemoryMb: 'number', sessionTimeoutMs: 'number',
  requestTimeoutMs: 'number', maxOps: 'number', seed: 'number', bugs: 'string[]',
};

export type Scenario = Partial<Omit<RunOptions, 'out' | 'scenario'>> & { workload: string; description?: string };

export function scenarioNames(dir = SCENARIO_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
}

function typeOk(v: unknown, t: 'string' | 'number' | 'string[]'): boolean {
  if (t === 'string[]') return Array.isArray(v) && v.every((x) => typeof x === 'string');
  return typeof v === t;
}

/** Checks a parsed scenario: known keys with the right types, and a workload. */
export function parseScenario(name: string, value: unknown): Scenario {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new OptionsError(`scenario ${name}: not a JSON object`);
  for (const [k, v] of Object.entries(value)) {
    const t = KEYS[k];
    if (t === undefined) throw new OptionsError(`scenario ${name}: unknown key '${k}' (known: ${Object.keys(KEYS).join(', ')})`);
    if (!typeOk(v, t)) throw new OptionsError(`scenario ${name}: '${k}' must be ${t}`);
  }
  const s = value as Scenario;
  if (typeof s.workload !== 'string') throw new OptionsError(`scenario ${name}: 'workload' is required`);
  return s;
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
