import { describe, expect, it } from 'vitest';
import { wrappedArgv } from './process-runtime.ts';

describe('wrappedArgv', () => {
  const base = { node: 'n1', command: '/usr/bin/java', args: ['-cp', 'x', 'Main'], env: {}, nodeDir: '/r/n1', logFile: '/r/n1/log' };

  const DEATH = ['setpriv', '--pdeathsig', 'KILL', '--'];

  it('runs the command as is without a namespace, uid or parent-death wrapper', () => {
    expect(wrappedArgv(base, [])).toEqual(['/usr/bin/java', '-cp', 'x', 'Main']);
  });

  it('asks for a parent-death SIGKILL right before the command', () => {
    expect(wrappedArgv(base, DEATH)).toEqual([...DEATH, '/usr/bin/java', '-cp', 'x', 'Main']);
  });

  it('enters the namespace first, then drops to the uid, then sets the parent-death signal, then execs the command', () => {
    expect(wrappedArgv({ ...base, netnsPath: '/run/netns/z', uid: 47001 }, DEATH)).toEqual([
      'nsenter', '--net=/run/netns/z', '--',
      'setpriv', '--reuid=47001', '--regid=47001', '--clear-groups', '--',
      ...DEATH,
      '/usr/bin/java', '-cp', 'x', 'Main',
    ]);
    expect(wrappedArgv({ ...base, netnsPath: '/run/netns/z', uid: 47001 }, [])).toEqual([
      'nsenter', '--net=/run/netns/z', '--',
      'setpriv', '--reuid=47001', '--regid=47001', '--clear-groups', '--',
      '/usr/bin/java', '-cp', 'x', 'Main',
    ]);
  });

  it('sets a preload only for the node command, not for the wrappers', () => {
    const argv = wrappedArgv({ ...base, netnsPath: '/run/netns/z', uid: 47001, env: { LD_PRELOAD: '/lib/ft.so', FAKETIME_NO_CACHE: '1' } }, []);
    expect(argv.slice(argv.indexOf('--', 3) + 1)).toEqual(['env', 'LD_PRELOAD=/lib/ft.so', '/usr/bin/java', '-cp', 'x', 'Main']);
    expect(wrappedArgv({ ...base, env: { LD_PRELOAD: '/lib/ft.so' } }, [])[0]).toBe('/usr/bin/java');
    expect(wrappedArgv({ ...base, env: { LD_PRELOAD: '/lib/ft.so' } }, DEATH)).toEqual(
      [...DEATH, 'env', 'LD_PRELOAD=/lib/ft.so', '/usr/bin/java', '-cp', 'x', 'Main']);
  });
});
