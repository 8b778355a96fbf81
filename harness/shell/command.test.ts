// `zooproof shell` argument handling: help is printed, nothing is dialled.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseShellArgs, shellCommand } from './command.ts';

afterEach(() => vi.restoreAllMocks());

describe('zooproof shell --help', () => {
  it.each([['--help'], ['-h'], ['-help'], ['-server', '127.0.0.1:1', '--help']])('%s prints the usage and connects to nothing', async (...args) => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    expect(await shellCommand(args)).toBe(0);
    const text = out.join('');
    expect(text).toMatch(/^Usage: zooproof shell \[-server host:port/);
    expect(text).toContain('-timeout ms');
    expect(text).toMatch(/\n\tls \[-s\] \[-w\] \[-R\] path/);
    expect(text).not.toContain('Connecting to');
  });

  it('a help flag after the command is the command\'s own word', () => {
    expect(parseShellArgs(['ls', '--help'])).toMatchObject({ command: ['ls', '--help'] });
    expect(parseShellArgs(['--help'])).toMatchObject({ help: true, command: undefined });
  });
});
