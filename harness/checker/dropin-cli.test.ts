// `zooproof check` as a drop-in for Knossos and Porcupine: their formats in,
// EDN out, the kv and multi-register models, --initial-value, and several
// files over worker threads with verdicts in input order.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileResult } from './check-file.ts';
import { checkFilesInParallel } from './check-pool.ts';
import { checkCommand } from './cli.ts';
import { captureOutput } from '../../test/support/capture-output.ts';

const fx = (name: string) => join(import.meta.dirname, 'fixtures', 'dropin', name);
const { out, err } = captureOutput();

describe('zooproof check: other tools\' histories', () => {
  const cases: Array<[file: string, args: string[], exit: number, text: string]> = [
    ['kv-valid.edn', ['--model', 'kv'], 0, 'linearizable: 4 ops in 2 partition(s)'],
    ['kv-lost-append.edn', ['--model', 'kv'], 1, 'not linearizable "a": cannot linearize get(null) -> "x"'],
    ['etcd-valid.txt', ['--model', 'cas-register'], 0, 'linearizable: 5 ops'],
    ['etcd-read-nil-after-write.txt', ['--model', 'cas-register'], 1, 'cannot linearize read(null) -> null'],
    ['register-from-zero.json', ['--model', 'register'], 1, 'cannot linearize read(null) -> 0'],
    ['register-from-zero.json', ['--model', 'register', '--initial-value', '0'], 0, 'linearizable: 4 ops'],
    ['multi-register-valid.edn', ['--model', 'multi-register'], 0, 'linearizable: 3 ops'],
    ['multi-register-torn-read.edn', ['--model', 'multi-register'], 1, 'cannot linearize txn'],
  ];
  for (const [file, args, exit, text] of cases) {
    it(`${file} ${args.join(' ')}`, async () => {
      expect(await checkCommand([fx(file), ...args, '--jobs', '1'])).toBe(exit);
      expect(out.join('')).toContain(text);
    });
  }

  it('a forced --format that does not fit is a one-line error, exit 254', async () => {
    expect(await checkCommand([fx('register-from-zero.json'), '--model', 'register', '--format', 'edn'])).toBe(254);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/register-from-zero\.json: line 2: /);
  });

  it('refuses bad options with exit 254: unknown format, --initial-value not JSON or for a workload checker, --write-edn of two files', async () => {
    for (const args of [['--format', 'csv'], ['--initial-value', 'zero'], ['--model', 'set-workload', '--initial-value', '0'], ['--write-edn', '/tmp/x.edn', fx('kv-valid.edn')]]) {
      err.length = 0;
      expect(await checkCommand([fx('kv-valid.edn'), '--model', 'register', ...args])).toBe(254);
      expect(err.join('')).toMatch(/^zooproof check: .+\n$/);
    }
  });
});

describe('zooproof check --write-edn', () => {
  it('writes Porcupine JSON as EDN op maps that check the same (without --model: convert only)', async () => {
    const edn = join(mkdtempSync(join(tmpdir(), 'zooproof-dropin-')), 'h.edn');
    expect(await checkCommand([fx('register-from-zero.json'), '--write-edn', edn])).toBe(0);
    expect(out).toEqual([]);
    expect(readFileSync(edn, 'utf8').split('\n')[0]).toBe('{:index 0, :type :invoke, :process 0, :f :read, :value nil, :time 0}');
    expect(await checkCommand([edn, '--model', 'register', '--initial-value', '0'])).toBe(0);
    expect(await checkCommand([edn, '--model', 'register'])).toBe(1);
  });
});

describe('zooproof check with several files', () => {
  it('prints verdicts in input order (the pool hands results back by position); the exit code is the worst verdict', async () => {
    const files = ['kv-valid.edn', 'kv-lost-append.edn', 'kv-valid.edn', 'kv-valid.edn', 'kv-lost-append.edn'].map(fx);
    expect(await checkCommand([...files, '--model', 'kv', '--jobs', '2', '--json'])).toBe(1);
    const lines = out.map((l) => JSON.parse(l) as { file: string; verdict: string });
    expect(lines.map((l) => l.file)).toEqual(files);
    expect(lines.map((l) => l.verdict)).toEqual(['valid', 'invalid', 'valid', 'valid', 'invalid']);
  });

  it('gives the same results with one thread, and 254 when one file is unreadable', async () => {
    expect(await checkCommand([fx('kv-valid.edn'), fx('kv-valid.edn'), '--model', 'kv', '--jobs', '1'])).toBe(0);
    expect(await checkCommand([fx('kv-valid.edn'), fx('no-such.edn'), '--model', 'kv', '--jobs', '2'])).toBe(254);
    expect(err.join('')).toContain('no-such.edn: cannot read');
  });
});

describe('checkFilesInParallel', () => {
  it('workers alone check every file once, each result handed back under its input position', async () => {
    const files = ['kv-valid.edn', 'kv-lost-append.edn', 'kv-valid.edn', 'kv-lost-append.edn', 'kv-valid.edn'].map(fx);
    const got: Array<[number, FileResult]> = [];
    await checkFilesInParallel(files, { model: 'kv', timeoutMs: 60_000, maxMemoryMb: 512 }, 2, undefined, (i, r) => got.push([i, r]));
    expect(got.map(([i]) => i).sort()).toEqual([0, 1, 2, 3, 4]);
    for (const [i, r] of got) expect(r.result?.verdict).toBe(files[i]!.endsWith('valid.edn') ? 'valid' : 'invalid');
    expect(got.every(([, r]) => typeof r.threadId === 'number' && r.threadId > 0)).toBe(true);
  });

  it('a worker that cannot check (no such model) rejects, and the workers are stopped', async () => {
    await expect(checkFilesInParallel([fx('kv-valid.edn')], { model: 'no-such-model', timeoutMs: 1000, maxMemoryMb: 512 }, 1, undefined, () => {}))
      .rejects.toThrow(/unknown model or checker 'no-such-model'/);
  });
});
