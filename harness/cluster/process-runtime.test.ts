import { describe, expect, it } from 'vitest';
import { wrappedArgv } from './process-runtime.ts';

describe('wrappedArgv', () => {
  const base = { node: 'n1', command: '/usr/bin/java', args: ['-cp', 'x', 'Main'], env: {}, nodeDir: '/r/n1', logFile: '/r/n1/log' };

  it('runs the command as is without a namespace or uid', () => {
    expect(wrappedArgv(base)).toEqual(['/usr/bin/java', '-cp', 'x', 'Main']);
  });

  it('enters the namespace first, then drops to the uid, then execs the command', () => {
    expect(wrappedArgv({ ...base, netnsPath: '/run/netns/z', uid: 47001 })).toEqual([
      'nsenter', '--net=/run/netns/z', '--',
      'setpriv', '--reuid=47001', '--regid=47001', '--clear-groups', '--',
      '/usr/bin/java', '-cp', 'x', 'Main',
    ]);
  });
});
