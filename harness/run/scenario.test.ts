import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAllScenarios, loadScenario, parseScenario, scenarioNames } from './scenario.ts';

describe('scenario schema', () => {
  it('refuses unknown keys, wrong types, a missing or doubled workload, and unknown bugs, naming the key', () => {
    expect(() => parseScenario('x', { description: 'd', workload: 'set', colour: 'red' })).toThrow(/Unrecognized key: "colour"/);
    expect(() => parseScenario('x', { description: 'd', workload: 'set', nodes: '3' })).toThrow(/'nodes': .*expected number/);
    expect(() => parseScenario('x', { description: 'd', nodes: 3 })).toThrow(/exactly one of 'workload' or 'workloads'/);
    expect(() => parseScenario('x', { description: 'd', workload: 'set', workloads: ['queue'] })).toThrow(/exactly one/);
    expect(() => parseScenario('x', { workload: 'set' })).toThrow(/'description'/);
    expect(() => parseScenario('x', [])).toThrow(/expected object/);
    expect(() => parseScenario('x', { description: 'd', workload: 'set', catches: ['no-such-bug'] })).toThrow(/'catches.0'/);
    expect(() => parseScenario('x', { description: 'd', workload: 'set', requires: ['TRUNCATE'] })).toThrow(/'requires.0'/);
    expect(() => loadScenario('../package')).toThrow(/unknown scenario/);
  });

  it('gives the run options and the meaning apart, with defaults', () => {
    const s = parseScenario('x', { description: 'd', workloads: ['register', 'queue'], nodes: 3, requires: ['TRUNC'], catches: ['diff-not-trunc'] });
    expect(s.workload).toBe('register+queue');
    expect(s.nodes).toBe(3);
    expect(s.meta).toEqual({ description: 'd', expect: 'valid', requires: ['TRUNC'], catches: ['diff-not-trunc'], quick: false });
    expect('requires' in s).toBe(false);
  });

  it('reports a file that is not JSON with its name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zooproof-scenarios-'));
    writeFileSync(join(dir, 'broken.json'), '{ "workload": ');
    expect(() => loadScenario('broken', dir)).toThrow(/scenario broken:/);
  });

  it('every file in scenarios/ validates', () => {
    expect(scenarioNames().length).toBeGreaterThan(0);
    expect(() => loadAllScenarios()).not.toThrow();
  });
});
