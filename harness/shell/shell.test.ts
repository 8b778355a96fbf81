import { describe, expect, it } from 'vitest';
import { parseShellArgs } from './command.ts';
import { complete } from './completer.ts';
import { aclLines, javaDate, javaPathError, keeperMessage, parseAcl, permString } from './format.ts';
import { OptionError, parseOptions } from './options.ts';
import { tokenize } from './tokenize.ts';

describe('tokenize (zkCli quoting)', () => {
  it('splits on blanks and strips surrounding quotes', () => {
    expect(tokenize('create /a "two words" world:anyone:r')).toEqual(['create', '/a', 'two words', 'world:anyone:r']);
    expect(tokenize("set /a 'x y'  ")).toEqual(['set', '/a', 'x y']);
    expect(tokenize('   ')).toEqual([]);
  });
});

describe('parseOptions (commons-cli subset)', () => {
  it('accepts flags and valued options anywhere', () => {
    const p = parseOptions(['set', '-s', '/a', '-v', '3', 'data'], { flags: 's', valued: 'v' });
    expect(p.args).toEqual(['set', '/a', 'data']);
    expect([...p.flags]).toEqual(['s']);
    expect(p.values.get('v')).toBe('3');
  });
  it('reports unknown options and missing values as zkCli does', () => {
    expect(() => parseOptions(['ls', '-z', '/'], { flags: 's' })).toThrow(
      new OptionError('org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -z'));
    expect(() => parseOptions(['delete', '/a', '-v'], { valued: 'v' })).toThrow(/Missing argument for option: v/);
  });
});

describe('format', () => {
  it('permissions in cdrwa order', () => {
    expect(permString(31)).toBe('cdrwa');
    expect(permString(1 | 16)).toBe('ra');
    expect(aclLines([{ perms: 31, id: { scheme: 'world', id: 'anyone' } }])).toEqual(["'world,'anyone", ': cdrwa']);
  });
  it('parses ACL arguments, warning about bad entries', () => {
    const warnings: string[] = [];
    expect(parseAcl('world:anyone:rw,bad,digest:u:h=:a', (w) => warnings.push(w))).toEqual([
      { perms: 3, id: { scheme: 'world', id: 'anyone' } }, { perms: 16, id: { scheme: 'digest', id: 'u:h=' } }]);
    expect(warnings).toEqual(['bad does not have the form scheme:id:perm']);
  });
  it("Java's Date.toString shape", () => {
    expect(javaDate(0)).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \S+ \d{4}$/);
  });
  it('error messages of CliWrapperException and KeeperException', () => {
    expect(keeperMessage(-101, '/x')).toBe('Node does not exist: /x');
    expect(keeperMessage(-110, '/x')).toBe('Node already exists: /x');
    expect(keeperMessage(-103, '/x')).toBe('version No is not valid : /x');
    expect(keeperMessage(-4, '/x')).toBe('KeeperErrorCode = ConnectionLoss for /x');
  });
  it('path messages of PathUtils', () => {
    expect(javaPathError('a')).toBe('Path must start with / character');
    expect(javaPathError('/a/')).toBe('Path must not end with / character');
    expect(javaPathError('/a//b')).toBe('Invalid path string "/a//b" caused by empty node name specified @3');
    expect(javaPathError('/a/./b')).toBe('Invalid path string "/a/./b" caused by relative paths not allowed @3');
    expect(javaPathError('/a/b')).toBeNull();
  });
});

describe('completion', () => {
  const tree: Record<string, string[]> = { '/': ['app', 'apple', 'zookeeper'], '/app': ['config'] };
  const list = async (p: string) => {
    if (!(p in tree)) throw new Error('NONODE');
    return tree[p]!;
  };
  it('completes commands, then znode paths level by level', async () => {
    expect(await complete('get', ['get', 'getAcl', 'ls'], list)).toEqual([['get', 'getAcl'], 'get']);
    expect(await complete('ls /ap', [], list)).toEqual([['/app', '/apple'], '/ap']);
    expect(await complete('ls /app/c', [], list)).toEqual([['/app/config'], '/app/c']);
    expect(await complete('ls /nope/x', [], list)).toEqual([[], '/nope/x']);
  });
});

describe('shell arguments (zkCli flags)', () => {
  it('takes flags until the first command word', () => {
    expect(parseShellArgs(['-server', 'h:1', '-timeout', '5000', 'ls', '-s', '/'])).toEqual({
      options: { server: 'h:1', timeoutMs: 5000, readOnly: false }, command: ['ls', '-s', '/'] });
    expect(parseShellArgs(['-r'])).toEqual({ options: { server: 'localhost:2181', timeoutMs: 30000, readOnly: true },
      command: undefined });
    expect(parseShellArgs(['-server'])).toBe('Error: no argument found for option -server');
  });
});
