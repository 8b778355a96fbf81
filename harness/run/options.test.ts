import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../run-command.ts';
import { DEFAULTS, OptionsError, parseZooCfg, reproduceCommand, validate, type RunOptions } from './options.ts';
import { loadScenario, scenarioNames } from './scenario.ts';

const base: RunOptions = { ...DEFAULTS, workload: 'register', seed: 1, out: '/tmp/x' };

/** The options that make the run; netOrigin only says where --net came from (the reproduce command always gives it). */
const sameRun = ({ netOrigin: _netOrigin, ...o }: RunOptions) => o;

/** Splits `zooproof run a --b c` into the run's name and flags (no quoting in these commands). */
function flagsOf(command: string): { name: string; flags: Record<string, string> } {
  const [, , name, ...rest] = command.split(' ');
  const flags: Record<string, string> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i]!.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    flags[key] = rest[i + 1]!;
  }
  return { name: name!, flags };
}

describe('run options', () => {
  it('accept the defaults and refuse impossible values with the flag named', () => {
    expect(validate({ ...base })).toEqual(base);
    expect(() => validate({ ...base, nodes: 2 })).toThrow(/--nodes must be 1 or odd/);
    expect(() => validate({ ...base, concurrency: 0 })).toThrow(/--concurrency/);
    expect(() => validate({ ...base, rate: -1 })).toThrow(/--rate/);
    expect(() => validate({ ...base, target: 'etcd' as never })).toThrow(/--target must be one of reference, zookeeper/);
    expect(() => validate({ ...base, nemesis: ['partition'] })).toThrow(/partition needs --nodes 3/);
    expect(() => validate({ ...base, nemesis: ['meteor' as never] })).toThrow(OptionsError);
  });

  it('check fault packages, placement and snapCount, with the flag named', () => {
    expect(validate({ ...base, nodes: 3, faults: ['isolate-leader', 'kill-leader'], placement: 'leader', snapCount: 100 }).faults)
      .toEqual(['isolate-leader', 'kill-leader']);
    expect(() => validate({ ...base, nodes: 3, faults: ['isolate-everyone'] })).toThrow(/unknown fault package 'isolate-everyone' \(known: isolate-leader,/);
    expect(() => validate({ ...base, nodes: 1, faults: ['isolate-leader'] })).toThrow(/--faults isolate-leader needs --nodes 3/);
    expect(() => validate({ ...base, nodes: 3, faults: ['bridge'], nemesis: ['kill'] })).toThrow(/cannot be combined/);
    expect(() => validate({ ...base, nodes: 3, faults: ['kill-leader-strict'], net: 'netns' })).toThrow(/needs --net proxy/);
    expect(() => validate({ ...base, placement: 'nearby' as never })).toThrow(/--placement must be one of pinned, roaming, mixed, leader/);
    expect(() => validate({ ...base, snapCount: 1 })).toThrow(/--snap-count/);
    expect(validate({ ...base, nodes: 1, faults: ['pause-leader', 'rolling-restart'] }).nodes).toBe(1);
  });

  it('the reproduce command names the fault packages, placement, snapCount and session timeout', () => {
    const o = validate({ ...base, nodes: 3, faults: ['kill-leader'], placement: 'leader', snapCount: 100, sessionTimeoutMs: 4000, nemesisIntervalS: 3 });
    expect(reproduceCommand(o)).toMatch(/--nemesis none --nemesis-interval 3 .* --faults kill-leader --placement leader --snap-count 100 --session-timeout-ms 4000$/);
    expect(reproduceCommand(base)).not.toMatch(/--faults|--placement|--snap-count|--session-timeout-ms/);
  });

  it('the reproduce command gives back fault packages, placement and snapCount', () => {
    const o = validate({ ...base, nodes: 3, faults: ['isolate-leader-strict', 'bridge'], placement: 'pinned', snapCount: 150, sessionTimeoutMs: 9000, seed: 4 });
    const { name, flags } = flagsOf(reproduceCommand(o));
    expect(sameRun(resolveOptions(name, { ...flags, out: '/tmp/x' }))).toEqual(sameRun(o));
  });

  it('extra zoo.cfg keys: parsed from k=v lists, harness-managed keys refused, given back by the reproduce command', () => {
    const o = validate({ ...base, nodes: 3, zooCfg: parseZooCfg('snapshotSizeFactor=-1, commitLogCount=20') });
    expect(o.zooCfg).toEqual({ snapshotSizeFactor: '-1', commitLogCount: '20' });
    const { name, flags } = flagsOf(reproduceCommand(o));
    expect(sameRun(resolveOptions(name, { ...flags, out: '/tmp/x' }))).toEqual(sameRun(o));
    expect(() => parseZooCfg('snapshotSizeFactor')).toThrow(/key=value/);
    expect(() => validate({ ...base, zooCfg: { clientPort: '1' } })).toThrow(/'clientPort' is set by the harness/);
    expect(() => validate({ ...base, zooCfg: { 'server.1': 'x' } })).toThrow(/set by the harness/);
    expect(() => validate({ ...base, zooCfg: { snapCount: '5' } })).toThrow(/--snap-count/);
    expect(() => validate({ ...base, zooCfg: { 'a b': '1' } })).toThrow(/bad key/);
    expect(() => validate({ ...base, zooCfg: { a: 'x\ny=1' } })).toThrow(/bad value/);
  });

  it('a scenario\'s zoo.cfg keys and --zoo-cfg merge, the flag winning', () => {
    const o = resolveOptions('snap-catchup', { zooCfg: 'commitLogCount=7', out: '/tmp/x' });
    expect(o.zooCfg).toMatchObject({ commitLogCount: '7' });
    expect(Object.keys(o.zooCfg ?? {}).length).toBeGreaterThan(1);
  });

  it('the reproduce command gives back the same options', () => {
    const o = validate({ ...base, nodes: 3, nemesis: ['kill', 'partition'], nemesisIntervalS: 2.5, rate: 12.5, seed: 987, concurrency: 7, timeLimitS: 9 });
    const { name, flags } = flagsOf(reproduceCommand(o));
    expect(sameRun(resolveOptions(name, { ...flags, out: '/tmp/x' }))).toEqual(sameRun(o));
  });

  it('a scenario gives defaults, flags override them, and the reproduce command keeps both', () => {
    const o = resolveOptions('register-partition', { seed: '5', timeLimit: '7', out: '/tmp/x' });
    expect(o).toMatchObject({ scenario: 'register-partition', workload: 'register', nodes: 3, nemesis: ['partition', 'kill'], timeLimitS: 7, seed: 5 });
    const { name, flags } = flagsOf(reproduceCommand(o));
    expect(sameRun(resolveOptions(name, { ...flags, out: '/tmp/x' }))).toEqual(sameRun(o));
  });

  it('an unknown name lists the known workloads and scenarios', () => {
    expect(() => resolveOptions('nosuch', {})).toThrow(/neither a workload \(register, .*\) nor a scenario \(.*register-kill.*\)/);
    expect(() => resolveOptions('register', { nodes: 'three' })).toThrow(/--nodes takes a number/);
    expect(resolveOptions('register', { nemesis: 'none', seed: '1' }).nemesis).toEqual([]);
  });
});

describe('scenario files', () => {
  it('every file in scenarios/ parses and validates', () => {
    const names = scenarioNames();
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const name of names) expect(() => resolveOptions(name, { seed: '1' }), name).not.toThrow();
    expect(loadScenario('register-kill').workload).toBe('register');
  });

});
