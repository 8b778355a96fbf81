// `npm run bench:report`: the run report's size and cost for synthetic runs of
// 1k, 10k and 100k client operations (10 clients, 8 registers, partitions and
// kills every 6 s, one non-linearizable read so the counterexample view is
// there). Prints the time to build the page, its size, and, when Chromium is
// installed, the time for Chromium to open it (navigation to the page's
// script finishing its first draw) and to redraw the views in sight, zoomed out
// to the whole run and in to 1% of it.
// Not a test: it asserts nothing, it measures. Options: --keep (keep the
// generated reports and print where), --sizes 1000,10000.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkerList, checkHistory, type ResultsFile } from '../harness/run/check.ts';
import { syntheticRun } from '../harness/report/synthetic.ts';
import { reportHtml } from '../harness/report/write.ts';

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const sizesArg = args.indexOf('--sizes');
const sizes = sizesArg >= 0 ? args[sizesArg + 1]!.split(',').map(Number) : [1_000, 10_000, 100_000];
const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));
const dir = mkdtempSync(join(tmpdir(), 'zooproof-bench-report-'));

interface Row { ops: number; buildMs: number; sizeMB: number; openMs?: number; redrawMs?: number; zoomedMs?: number; checkerVerdict: string }

async function openTimes(paths: string[]): Promise<Array<{ openMs: number; redrawMs: number; zoomedMs: number }>> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const out = [];
    for (const path of paths) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const started = performance.now();
      await page.goto(pathToFileURL(path).href, { waitUntil: 'load', timeout: 120_000 });
      await page.waitForFunction('window.zooproofReport && window.zooproofReport.ready === true', null, { timeout: 120_000 });
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      const openMs = performance.now() - started;
      // Page script as a string: this project's TypeScript has no DOM types.
      const redraw = (span: number) => page.evaluate(`new Promise((resolve) => {
        const r = window.zooproofReport;
        const t0 = performance.now();
        r.view = { t0: 0, t1: ${span} };
        r.redraw();
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
      })`) as Promise<number>;
      const endMs = await page.evaluate('window.zooproofReport.view.t1') as number;
      await redraw(endMs * 0.999);
      const redrawMs = await redraw(endMs * 0.998);
      const zoomedMs = await redraw(endMs / 100);
      // The uPlot plots are drawn when scrolled into sight: time that (100k points for the latency plot).
      const plotsMs = await page.evaluate(`new Promise((resolve) => {
        const t0 = performance.now();
        document.getElementById('plots').scrollIntoView();
        const wait = () => (window.zooproofReport.drawMs && window.zooproofReport.drawMs.latency !== undefined
          ? resolve(performance.now() - t0) : requestAnimationFrame(wait));
        wait();
      })`) as number;
      process.stdout.write(`plots drawn ${plotsMs.toFixed(0)} ms after scrolling to them; `);
      process.stdout.write(`draw ms by view (${path.split('/').at(-2)}): ${JSON.stringify(await page.evaluate('window.zooproofReport.drawMs'))}\n`);
      out.push({ openMs, redrawMs, zoomedMs });
      await page.close();
    }
    return out;
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const paths: string[] = [];
  for (const ops of sizes) {
    const { history, clusterState } = syntheticRun({ ops, staleRead: true, seed: 7 });
    const checked = checkHistory(history, checkerList(['register'], 1), { timeoutMs: 30_000, maxMemoryBytes: 2 ** 31 });
    const results: ResultsFile = { verdict: checked.verdict, exitCode: 1, workload: 'register', scenario: `bench-${ops}`, seed: 7, command: 'npm run bench:report',
      history: 'history.jsonl', durationMs: 0, counts: checked.counts, checkers: checked.results, faults: [], faultsRun: checked.faultsRun };
    const started = performance.now();
    const html = reportHtml({ history, results, clusterState });
    const buildMs = performance.now() - started;
    const runDir = join(dir, `ops-${ops}`);
    mkdirSync(runDir);
    const path = join(runDir, 'index.html');
    writeFileSync(path, html);
    paths.push(path);
    rows.push({ ops, buildMs, sizeMB: statSync(path).size / 2 ** 20, checkerVerdict: checked.verdict });
  }
  if (CHROMIUM) (await openTimes(paths)).forEach((t, i) => Object.assign(rows[i]!, t));
  else process.stdout.write('no chromium: open times not measured (apt-get install chromium)\n');
  process.stdout.write('ops       build ms  size MB  chromium open ms  redraw ms (whole run / 1% of it)  (checker verdict)\n');
  for (const r of rows) {
    process.stdout.write(`${String(r.ops).padEnd(9)} ${r.buildMs.toFixed(0).padStart(8)}  ${r.sizeMB.toFixed(2).padStart(7)}  ${(r.openMs?.toFixed(0) ?? '-').padStart(16)}  ${(r.redrawMs?.toFixed(1) ?? '-').padStart(9)} / ${(r.zoomedMs?.toFixed(1) ?? '-').padStart(6)}  (${r.checkerVerdict})\n`);
  }
  if (keep) process.stdout.write(`reports kept in ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}

await main();
