// The index of runs, its JUnit XML, `zooproof report` (re-check and rebuild)
// and `zooproof serve` (loopback, no path traversal).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DEFAULTS } from '../run/options.ts';
import type { ResultsFile } from '../run/check.ts';
import { reportCommand } from '../report-command.ts';
import { collectRows, renderJunitXml, writeRunIndex } from './run-index.ts';
import { resolveInRoot, serveReports } from './serve.ts';

const root = mkdtempSync(join(tmpdir(), 'zooproof-report-index-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const COUNTS = { ok: 3, fail: 0, info: 0, byF: {}, nemesisOps: 0, notifications: 0, byNode: {} };
const STALE_READ = readFileSync(join(import.meta.dirname, '..', 'checker', 'fixtures', 'register-stale-read.jsonl'), 'utf8').split('\n').slice(1).join('\n');

function fakeRun(dir: string, r: Partial<ResultsFile>, target = 'reference', startedAt = '2026-12-07T10:00:00.000Z'): string {
  mkdirSync(dir, { recursive: true });
  const config = { ...DEFAULTS, workload: 'register', seed: 1, out: root, nodes: 1, checkers: ['register'], concurrency: 2, target };
  writeFileSync(join(dir, 'history.jsonl'), `${JSON.stringify({ format: 'zooproof-history/1', scenario: r.scenario, startedAt, config })}\n${STALE_READ}`);
  const results: ResultsFile = { verdict: 'valid', exitCode: 0, workload: 'register', seed: 1, command: 'zooproof run register --seed 1', history: 'h',
    durationMs: 2500, counts: COUNTS, checkers: [], faults: [], faultsRun: [], ...r };
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
  return dir;
}

describe('the run index', () => {
  const dir = join(root, 'reports');
  fakeRun(join(dir, 'a', '1'), { scenario: 'register-kill', verdict: 'valid' }, 'reference', '2026-12-07T10:00:00.000Z');
  fakeRun(join(dir, 'b', '2'), { scenario: '<script>x</script>', verdict: 'invalid', exitCode: 1,
    checkers: [{ checker: 'linearizable:register', verdict: 'invalid', summary: 'not linearizable: stale read', details: {}, checkMs: 1 }] }, 'zookeeper', '2026-12-07T11:00:00.000Z');
  fakeRun(join(dir, 'c', '3'), { scenario: 'quorum-commit', verdict: 'invalid', exitCode: 1, bugs: ['commit-without-quorum'],
    checkers: [{ checker: 'set', verdict: 'invalid', summary: 'set: 7 lost', details: {}, checkMs: 1 }] }, 'reference', '2026-12-07T12:00:00.000Z');
  fakeRun(join(dir, 'd', '4'), { scenario: 'register-kill', verdict: 'valid', harnessError: 'Error: boom\n at x' }, 'reference', '2026-12-07T09:00:00.000Z');
  mkdirSync(join(dir, 'a', '1', 'zooproof-reference-x', 'n1'), { recursive: true });
  writeFileSync(join(dir, 'a', '1', 'zooproof-reference-x', 'n1', 'results.json'), '{}');

  it('lists every run, newest first, with target, verdict and the reason; not the runs\' node folders', () => {
    const rows = collectRows(dir);
    expect(rows.map((r) => [r.path, r.target, r.verdict])).toEqual([
      ['c/3', 'reference', 'invalid'], ['b/2', 'zookeeper', 'invalid'], ['a/1', 'reference', 'valid'], ['d/4', 'reference', 'error']]);
    expect(rows[1]!.reason).toBe('linearizable:register: not linearizable: stale read');
    expect(rows[0]!.expected).toBe('invalid');
  });

  it('JUnit: a correct run invalid fails with the explanation; a planted bug caught passes; a harness error is an error', () => {
    const xml = renderJunitXml(collectRows(dir), 'zooproof runs');
    expect(xml).toContain('tests="4" failures="1" errors="1" skipped="0"');
    expect(xml).toContain('<failure message="invalid: linearizable:register: not linearizable: stale read"/>');
    expect(xml).toContain('<error message="harness error: Error: boom"/>');
    expect(xml).toContain('name="&lt;script&gt;x&lt;/script&gt; zookeeper seed 1 (b/2)"');
    expect(xml).not.toContain('<script>');
  });

  it('index.html: escaped rows with filters by scenario, target and verdict; refuses to overwrite a run\'s report', () => {
    writeRunIndex(dir);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).not.toContain('<script>x');
    expect(html).toContain('data-scenario="&lt;script&gt;x&lt;/script&gt;"');
    for (const col of ['scenario', 'target', 'verdict']) expect(html).toContain(`<select data-col="${col}">`);
    expect(html.match(/<tr class=/g)).toHaveLength(4);
    expect(() => writeRunIndex(join(dir, 'a', '1'))).toThrow(/is a run directory/);
  });
});

describe('zooproof report', () => {
  const quiet = () => vi.spyOn(process.stdout, 'write').mockImplementation(() => true);

  it('re-checks the stored history with the run\'s checkers: a stale valid verdict becomes invalid (exit 1), index.html rebuilt', async () => {
    const run = fakeRun(join(root, 'recheck', 'r1'), { scenario: 'register', verdict: 'valid' });
    const out = quiet();
    const code = await reportCommand([run]);
    out.mockRestore();
    expect(code).toBe(1);
    const r = JSON.parse(readFileSync(join(run, 'results.json'), 'utf8')) as ResultsFile;
    expect(r.verdict).toBe('invalid');
    expect(r.checkers[0]!.summary).toMatch(/cannot linearize read\(null\) -> 1/);
    expect(readFileSync(join(run, 'index.html'), 'utf8')).toContain('"firstUnlinearizable":{"index":4');
  });

  it('--no-check rebuilds from results.json as stored; a bad run dir is one line and exit 254', async () => {
    const run = fakeRun(join(root, 'recheck', 'r2'), { scenario: 'register', verdict: 'valid' });
    const out = quiet();
    expect(await reportCommand([run, '--no-check'])).toBe(0);
    out.mockRestore();
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await reportCommand([join(root, 'nope')])).toBe(254);
    expect(await reportCommand(['--index', run])).toBe(254);
    expect(err.mock.calls.map((c) => String(c[0]))).toEqual([
      `zooproof report: ${join(root, 'nope')}: not a run directory (no history.jsonl)\n`,
      `zooproof report: ${run} is a run directory; --index takes a folder of runs\n`]);
    err.mockRestore();
  });
});

function get(port: number, path: string): Promise<{ status: number; body: string; type?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode!, body, ...(res.headers['content-type'] ? { type: res.headers['content-type'] } : {}) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('zooproof serve', () => {
  it('serves files and index pages under the root on loopback, and nothing outside it', async () => {
    const served = join(root, 'served');
    mkdirSync(join(served, 'run', 'sub'), { recursive: true });
    writeFileSync(join(served, 'index.html'), '<p>runs</p>');
    writeFileSync(join(served, 'run', 'results.json'), '{"verdict":"valid"}');
    writeFileSync(join(served, 'run', 'sub', '<b>.txt'), 'x');
    writeFileSync(join(root, 'secret.txt'), 'secret');
    symlinkSync(join(root, 'secret.txt'), join(served, 'link.txt'));
    const { server, port } = await serveReports({ root: served, host: '127.0.0.1', port: 0 });
    try {
      expect(server.address()).toMatchObject({ address: '127.0.0.1' });
      expect(await get(port, '/')).toMatchObject({ status: 200, body: '<p>runs</p>', type: 'text/html; charset=utf-8' });
      expect(await get(port, '/run/results.json')).toMatchObject({ status: 200, body: '{"verdict":"valid"}' });
      expect((await get(port, '/run')).status).toBe(301);
      const listing = await get(port, '/run/sub/');
      expect(listing.body).toContain('&lt;b&gt;.txt');
      expect(listing.body).not.toContain('<b>');
      for (const bad of ['/../secret.txt', '/run/../../secret.txt', '/%2e%2e/secret.txt', '/link.txt', '/..%2fsecret.txt']) {
        const r = await get(port, bad);
        expect([403, 404], bad).toContain(r.status);
        expect(r.body).not.toContain('secret');
      }
      expect((await get(port, '/nope')).status).toBe(404);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('resolveInRoot refuses .. and NUL before touching the disk', () => {
    expect(resolveInRoot(root, '/a/../../etc/passwd')).toBe(403);
    expect(resolveInRoot(root, '/a%00b')).toBe(400);
    expect(resolveInRoot(root, '/%E0%A4%A')).toBe(400);
  });
});
