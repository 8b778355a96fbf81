// The `zooproof check` command, run in-process: output and exit codes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommand } from './cli.ts';
import { captureOutput } from '../../test/support/capture-output.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const fx = (name: string) => join(fixtures, `${name}.jsonl`);
const { out, err } = captureOutput();

function scratch(name: string, text: string | Uint8Array): string {
  const path = join(mkdtempSync(join(tmpdir(), 'zooproof-cli-')), name);
  writeFileSync(path, text);
  return path;
}

describe('zooproof check', () => {
  it('exits 0 when every file is valid, one line per file', async () => {
    expect(await checkCommand([fx('register-valid'), fx('cas-register-valid'), '--model', 'cas-register'])).toBe(0);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/register-valid\.jsonl: VALID \(\d+ ms\) linearizable/);
  });

  it('exits 1 when any file is invalid, and prints one JSON object per file with --json', async () => {
    expect(await checkCommand([fx('register-valid'), fx('register-stale-read'), '--model', 'register', '--json'])).toBe(1);
    const lines = out.map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.file.endsWith('.jsonl'), l.verdict, typeof l.checkMs])).toEqual([[true, 'valid', 'number'], [true, 'invalid', 'number']]);
    expect(lines[1].details.firstUnlinearizable.op).toBe('read(null) -> 1');
  });

  it('exits 2 when a verdict is unknown and none invalid', async () => {
    const noDrain = scratch('q.jsonl', [
      '{"format":"zooproof-history/1"}',
      '{"index":0,"process":0,"type":"invoke","f":"enqueue","value":1,"time":0}',
      '{"index":1,"process":0,"type":"ok","f":"enqueue","value":1,"time":1}'].join('\n'));
    expect(await checkCommand([noDrain, '--model', 'queue-workload'])).toBe(2);
    expect(await checkCommand([noDrain, fx('queue-workload-duplicate-dequeue'), '--model', 'queue-workload'])).toBe(1);
  });

  it('composes comma-separated checkers', async () => {
    expect(await checkCommand([fx('zk-sequential-stale-read'), '--model', 'zk-sequential,watch,session', '--json'])).toBe(0);
    expect(JSON.parse(out[0]!).checker).toBe('zk-sequential+watch+session');
    // The same stale read is legal for ZooKeeper but not linearizable:
    expect(await checkCommand([fx('zk-sequential-stale-read'), '--model', 'znode,zk-sequential'])).toBe(1);
  });

  it('reads Jepsen EDN (cas-register shapes)', async () => {
    const edn = scratch('h.edn', `{:process 0, :type :invoke, :f :write, :value 1}
{:process 0, :type :ok, :f :write, :value 1}
{:process 1, :type :invoke, :f :cas, :value [1 2]}
{:process 1, :type :ok, :f :cas, :value [1 2]}
{:process 2, :type :invoke, :f :read, :value nil}
{:process 2, :type :ok, :f :read, :value 1}`);
    expect(await checkCommand([edn, '--model', 'cas-register'])).toBe(1);
  });

  it.each([
    [['--model', 'register'], /missing required argument/],
    [[fx('register-valid')], /required option '--model <name>'/],
    [[fx('register-valid'), '--model', 'nope'], /unknown model or checker 'nope'/],
    [[fx('register-valid'), '--model', 'register', '--timeout-ms', '0'], /--timeout-ms must be a positive integer/],
    [['/nonexistent.jsonl', '--model', 'register'], /cannot read \/nonexistent\.jsonl/],
  ])('exits 254 on bad arguments or unreadable input: %j', async (args, message) => {
    expect(await checkCommand(args)).toBe(254);
    expect(err.join('')).toMatch(message);
    expect(err.join('')).not.toMatch(/\n\s+at /);
  });

  it('exits 254 on a malformed file, naming the line', async () => {
    const bad = scratch('bad.jsonl', '{"format":"zooproof-history/1"}\n{"index":0,"process":0,"type":"invoke","f":"read","time":0}\n');
    expect(await checkCommand([bad, fx('register-valid'), '--model', 'register'])).toBe(254);
    expect(err.join('')).toContain("bad.jsonl: line 2: missing required field 'value'");
    expect(out.join('')).toContain('register-valid.jsonl: VALID');
  });

  it('judges values by their exact bytes: 61 ff 62 written, 61 fe 62 read is invalid (JSONL and EDN, raw bytes)', async () => {
    const raw = (written: string, read: string) => Buffer.from(['{"format":"zooproof-history/1"}',
      `{"index":0,"process":0,"type":"invoke","f":"write","value":"${written}","time":0}`,
      `{"index":1,"process":0,"type":"ok","f":"write","value":"${written}","time":1}`,
      '{"index":2,"process":1,"type":"invoke","f":"read","value":null,"time":2}',
      `{"index":3,"process":1,"type":"ok","f":"read","value":"${read}","time":3}`].join('\n'), 'latin1');
    expect(await checkCommand([scratch('differ.jsonl', raw('a\xffb', 'a\xfeb')), '--model', 'register'])).toBe(1);
    expect(out.join('')).toContain('cannot linearize read(null) -> {"b64":"Yf5i"}');
    expect(await checkCommand([scratch('same.jsonl', raw('a\xffb', 'a\xffb')), '--model', 'register'])).toBe(0);
    expect(await checkCommand([join(fixtures, 'register-bytes-differ-raw.edn'), '--model', 'register'])).toBe(1);
    expect(await checkCommand([join(fixtures, 'register-bytes-same-raw.edn'), '--model', 'register'])).toBe(0);
  });

  it('refuses values nested past 1000 levels with exit 254 and one clear line (EDN fixture, 8 MB of [ in JSONL)', async () => {
    expect(await checkCommand([join(fixtures, 'deep-nesting.edn'), '--model', 'register'])).toBe(254);
    const deep = scratch('deep.jsonl', `{"format":"zooproof-history/1"}\n${'['.repeat(8 << 20)}\n`);
    expect(await checkCommand([deep, '--model', 'register', '--max-memory-mb', '256', '--timeout-ms', '5000'])).toBe(254);
    expect(err).toEqual([
      `zooproof check: ${join(fixtures, 'deep-nesting.edn')}: line 1: values nest deeper than 1000 levels: refused\n`,
      `zooproof check: ${deep}: line 2: values nest deeper than 1000 levels: refused\n`]);
  });

  it('counts loading against the memory budget: a file over it is unknown (exit 2), not read', async () => {
    const lines = ['{"format":"zooproof-history/1"}'];
    for (let i = 0; i < 40_000; i++) lines.push(`{"index":${i},"process":${i},"type":"invoke","f":"write","value":${i},"time":0}`);
    const big = scratch('big.jsonl', lines.join('\n')); // 3 MB
    expect(await checkCommand([big, '--model', 'register', '--max-memory-mb', '2', '--json'])).toBe(2);
    const line = JSON.parse(out[0]!);
    expect([line.verdict, line.checker, line.details.reason]).toEqual(['unknown', 'load', 'memory']);
    expect(line.summary).toMatch(/^memory budget exhausted while loading the history \(after 0\.0 of 3\.\d MB read\)$/);
    expect(await checkCommand([big, '--model', 'register'])).toBe(0);
  });
});
