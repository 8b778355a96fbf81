// The report and the index in a real browser: Debian's chromium driven by
// playwright-core (never a downloaded browser). No console errors; the
// timeline, Zab lanes, plots and counterexample view draw and answer clicks;
// a report of hostile values runs none of them. Screenshots go to
// reports/test-artifacts/report/ (git-ignored) for a person to look at.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { available, describeIfAvailable, unavailable } from '../../test/support/skip.ts';
import { checkerList, checkHistory, type ResultsFile } from '../run/check.ts';
import { writeRunIndex } from './run-index.ts';
import { writeConsistencyPage } from './consistency-write.ts';
import { HOSTILE } from './hostile.ts';
import { syntheticRun } from './synthetic.ts';
import { writeRunReport } from './write.ts';

const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));
const ARTIFACTS = join(import.meta.dirname, '..', '..', 'reports', 'test-artifacts', 'report');
const dir = mkdtempSync(join(tmpdir(), 'zooproof-report-browser-'));

function run(name: string, o: Parameters<typeof syntheticRun>[0]): string {
  const runDir = join(dir, 'synthetic', name);
  mkdirSync(runDir, { recursive: true });
  const { history, clusterState } = syntheticRun(o);
  const checked = checkHistory(history, checkerList(['register'], 1), { timeoutMs: 20_000, maxMemoryBytes: 2 ** 30 });
  const results: ResultsFile = { verdict: checked.verdict, exitCode: 0, workload: 'register', scenario: name, seed: 1, command: `zooproof run ${name} --seed 1`,
    history: join(runDir, 'history.jsonl'), durationMs: 30_000, counts: checked.counts, checkers: checked.results, faults: [], faultsRun: checked.faultsRun };
  writeFileSync(join(runDir, 'results.json'), JSON.stringify(results));
  writeFileSync(join(runDir, 'history.jsonl'), `${JSON.stringify(history.meta)}\n${history.events.map((e) => JSON.stringify(e)).join('\n')}\n`);
  writeRunReport(runDir, { history, results, clusterState });
  return join(runDir, 'index.html');
}

describeIfAvailable('report in chromium', CHROMIUM ? available : unavailable('no chromium (apt-get install chromium)'), () => {
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox', '--disable-gpu'] });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Evaluates page script (a string: this project's TypeScript has no DOM types). */
  const js = <T>(page: Page, expr: string) => page.evaluate(expr) as Promise<T>;
  const report = <T>(page: Page, expr: string) => js<T>(page, `window.zooproofReport.${expr}`);

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`${path}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`${path}: ${e.message}`));
    await page.goto(pathToFileURL(path).href);
    return page;
  }

  /** Pixels of a canvas that are not background (white or transparent). */
  const ink = (page: Page, id: string) => js<number>(page, `(() => {
    const e = document.getElementById(${JSON.stringify(id)});
    const c = e.tagName === 'CANVAS' ? e : e.querySelector('canvas'); // the plots are uPlot's canvases
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) n++;
    return n;
  })()`);

  it('an invalid run: every view draws, and the timeline, Zab lanes, plots and counterexample answer clicks', async () => {
    const page = await open(run('register-invalid', { ops: 3000, staleRead: true, seed: 3 }));
    await page.waitForFunction('window.zooproofReport && window.zooproofReport.ready === true');
    await page.waitForTimeout(100);
    for (const id of ['timeline', 'zab']) expect(await ink(page, id), id).toBeGreaterThan(2000);
    // The uPlot plots are built when scrolled into sight.
    expect(await page.locator('#latency canvas').count()).toBe(0);
    await page.locator('#plots').scrollIntoViewIfNeeded();
    for (const id of ['latency', 'throughput']) await expect.poll(() => page.locator(`#${id} canvas`).count().then((n) => (n > 0 ? ink(page, id) : 0)), { message: id }).toBeGreaterThan(2000);
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(ARTIFACTS, 'invalid-run.png'), fullPage: true });
    await page.locator('#plots').screenshot({ path: join(ARTIFACTS, 'plots.png') });

    // A click on an op in the timeline pins its details.
    const target = await report<{ x: number; y: number }>(page, 'opPoint(40)');
    await page.locator('#timeline').click({ position: target });
    expect(await report(page, 'selected')).toBe(40);
    expect(await page.locator('#op-details').textContent()).toMatch(/invoked[\s\S]*events \d+/);

    // Hover on a Zab lane explains the role there.
    const zab = await page.locator('#zab').boundingBox();
    await page.locator('#zab').hover({ position: { x: zab!.width / 2, y: 20 + 11 } });
    await expect.poll(() => page.locator('#tooltip').textContent()).toMatch(/^n1: (LEADING|FOLLOWING|LOOKING|down)/);
    expect(await page.locator('#tooltip').isVisible()).toBe(true);

    // The wheel on a plot zooms every view.
    const before = await report<{ t0: number; t1: number }>(page, 'view');
    await page.locator('#latency').hover();
    await page.mouse.wheel(0, -300);
    await expect.poll(() => report<number>(page, 'view.t1 - window.zooproofReport.view.t0')).toBeLessThan(before.t1 - before.t0);
    // A drag across the throughput plot (uPlot's selection) zooms every view to it.
    const wheeled = await report<number>(page, 'view.t1 - window.zooproofReport.view.t0');
    const over = (await page.locator('#throughput .u-over').boundingBox())!;
    await page.mouse.move(over.x + over.width * 0.3, over.y + over.height / 2);
    await page.mouse.down();
    await page.mouse.move(over.x + over.width * 0.4, over.y + over.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => report<number>(page, 'view.t1 - window.zooproofReport.view.t0')).toBeLessThan(wheeled * 0.2);
    await page.locator('#plots').screenshot({ path: join(ARTIFACTS, 'plots-zoomed.png') });
    await page.locator('#zoom-fit').click();

    // Counterexample: jump to the first error selects the op that cannot be linearized and zooms to it.
    expect(await page.locator('#counterexample').textContent()).toContain('cannot be linearized');
    await page.locator('#counterexample button.primary').click();
    const sel = await report<number>(page, 'selected');
    expect(await page.locator('#op-details').textContent()).toContain('output -1');
    const zoomed = await report<number>(page, 'view.t1 - window.zooproofReport.view.t0');
    expect(zoomed).toBeLessThan(before.t1 - before.t0);
    await page.locator('table.linearization tr.clickable').first().click();
    expect(await report(page, 'selected')).not.toBe(sel);
    await page.screenshot({ path: join(ARTIFACTS, 'invalid-run-first-error.png'), fullPage: false });
    await page.close();
  });

  it('a report of hostile values executes none of them and still renders them as text', async () => {
    const page = await open(run('hostile', { ops: 200, seed: 5, values: HOSTILE }));
    await page.waitForFunction('window.zooproofReport && window.zooproofReport.ready === true');
    expect(await js(page, 'window.__pwned')).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await ink(page, 'timeline')).toBeGreaterThan(500);
    const writeOp = await js<number>(page, `(() => {
      const r = window.zooproofReport;
      for (let i = 0; i < 200; i++) { r.selectOp(i, false); if (document.getElementById('op-details').textContent.includes('onerror')) return i; }
      return -1;
    })()`);
    expect(writeOp).toBeGreaterThanOrEqual(0);
    expect(await page.locator('#op-details').textContent()).toContain('<img src=x onerror=window.__pwned=1>');
    await page.screenshot({ path: join(ARTIFACTS, 'hostile.png'), fullPage: true });
    expect(await js(page, 'window.__pwned')).toBeUndefined();
    await page.close();
  });

  it('the index lists the runs and filters them by verdict', async () => {
    run('register-valid', { ops: 500, seed: 4 });
    writeRunIndex(dir);
    const page = await open(join(dir, 'index.html'));
    await expect.poll(() => page.locator('#shown').textContent()).toBe('3');
    await page.locator('select[data-col="verdict"]').selectOption('invalid');
    expect(await page.locator('#shown').textContent()).toBe('1');
    expect(await page.locator('tbody tr:visible').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'index.png'), fullPage: true });
    await page.close();
  });

  it('the consistency page shows each scenario by target and links to the runs\' reports', async () => {
    const { path } = writeConsistencyPage(dir);
    const page = await open(path);
    expect(await page.locator('#consistency tbody tr').count()).toBe(3);
    expect(await page.locator('#consistency tbody').textContent()).toContain('register-invalid');
    expect(await page.locator('#consistency .badge.invalid').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'consistency.png'), fullPage: true });
    await page.locator('#consistency a.run.invalid').click();
    await page.waitForFunction('window.zooproofReport && window.zooproofReport.ready === true');
    expect(await page.title()).toContain('register-invalid');
    await page.close();
  });

    it('logged no console error on any page', () => {
    expect(errors).toEqual([]);
  });
});
