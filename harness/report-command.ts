// `zooproof report <run-dir>`: re-checks a stored run's history with the
// run's own checkers (as Jepsen's analyze does), rewrites its results.json and
// rebuilds its index.html. `zooproof report --index <dir>`: rebuilds
// `<dir>/index.html` and `<dir>/junit.xml` over every run under `<dir>`.
// `zooproof report --consistency <dir>`: writes `<dir>/consistency.html`, the
// scenario catalog with each target side by side.
// Exit: re-check 0 valid, 1 invalid, 2 unknown; --index 0; 254 bad arguments
// or not a run directory (one line on stderr); 255 internal error.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT_BAD_ARGS, newProgram } from './cli.ts';
import { EXIT_FOR, writeResults, type ResultsFile } from './run/check.ts';
import type { RunOptions } from './run/options.ts';
import { recheckRun } from './run/run.ts';
import { clusterDirOf, readRunFiles, writeRunReport } from './report/write.ts';
import { writeRunIndex } from './report/run-index.ts';
import { writeConsistencyPage } from './report/consistency-write.ts';
import { summaryText } from './run/summary.ts';
import type { Requirement } from './run/scenario.ts';

interface Flags { index?: string; consistency?: string; check?: boolean }

class BadRunDir extends Error {}

function program() {
  return newProgram('report')
    .description('rebuild a run\'s HTML report after re-checking its history, or the index of many runs')
    .argument('[run-dir]', 'a run directory (holding history.jsonl and results.json)')
    .option('--index <dir>', 'rebuild <dir>/index.html and <dir>/junit.xml over every run under <dir>')
    .option('--consistency <dir>', 'write <dir>/consistency.html: every scenario under <dir>, the reference server and Apache ZooKeeper side by side')
    .option('--no-check', 'do not re-check: rebuild index.html from the stored results.json');
}

async function recheck(runDir: string, check: boolean, print: (s: string) => void): Promise<number> {
  if (!existsSync(join(runDir, 'history.jsonl'))) throw new BadRunDir(`${runDir}: not a run directory (no history.jsonl)`);
  if (!existsSync(join(runDir, 'results.json'))) throw new BadRunDir(`${runDir}: not a run directory (no results.json)`);
  let files;
  try {
    files = await readRunFiles(runDir);
  } catch (err) {
    throw new BadRunDir(`${runDir}: unreadable run: ${(err as Error).message}`);
  }
  const old = files.results!;
  let results: ResultsFile = old;
  const config = files.history.meta.config as RunOptions | undefined;
  if (check && config === undefined) print(`zooproof report: ${runDir}: the history has no run configuration; not re-checked\n`);
  if (check && config !== undefined) {
    const checked = await recheckRun(config, join(runDir, 'history.jsonl'), files.clusterState, clusterDirOf(runDir, files.history.meta.clusterDir),
      old.expect !== undefined ? { description: '', expect: old.expect, requires: (old.requires ?? []) as Requirement[], catches: old.catches ?? [], quick: false } : undefined);
    const exitCode = old.harnessError !== undefined ? old.exitCode : EXIT_FOR[checked.verdict];
    results = { ...old, verdict: checked.verdict, exitCode, counts: checked.counts, checkers: checked.results, faultsRun: checked.faultsRun,
      ...(checked.cluster ? { cluster: checked.cluster } : {}) };
    writeResults(join(runDir, 'results.json'), results);
    print(summaryText(results, runDir));
    if (old.verdict !== results.verdict) print(`verdict changed on re-check: was ${old.verdict}, now ${results.verdict}\n`);
  }
  print(`report: ${writeRunReport(runDir, { ...files, results })}\n`);
  return results.exitCode;
}

export async function reportCommand(args: string[]): Promise<number> {
  const p = program();
  p.parse(args, { from: 'user' });
  const f = p.opts<Flags>();
  const runDir = p.args[0];
  const print = (s: string) => process.stdout.write(s);
  try {
    if (f.consistency !== undefined) {
      if (runDir !== undefined || f.index !== undefined) throw new BadRunDir('--consistency <dir> takes no run directory and no --index');
      const dir = resolve(f.consistency);
      if (!existsSync(dir)) throw new BadRunDir(`${dir}: no such directory`);
      if (existsSync(join(dir, 'results.json'))) throw new BadRunDir(`${dir} is a run directory; --consistency takes a folder of runs`);
      const { path, table } = writeConsistencyPage(dir);
      print(`consistency: ${path} (${table.rows.length} scenarios, targets ${table.targets.join(', ')})\n`);
      return 0;
    }
    if (f.index !== undefined) {
      if (runDir !== undefined) throw new BadRunDir('give a run directory or --index <dir>, not both');
      const dir = resolve(f.index);
      if (!existsSync(dir)) throw new BadRunDir(`${dir}: no such directory`);
      if (existsSync(join(dir, 'results.json'))) throw new BadRunDir(`${dir} is a run directory; --index takes a folder of runs`);
      const rows = writeRunIndex(dir);
      print(`index: ${join(dir, 'index.html')} (${rows.length} runs)\njunit: ${join(dir, 'junit.xml')}\n`);
      return 0;
    }
    if (runDir === undefined) throw new BadRunDir('give a run directory, or --index <dir> (zooproof report --help)');
    return await recheck(resolve(runDir), f.check !== false, print);
  } catch (err) {
    if (!(err instanceof BadRunDir)) throw err;
    process.stderr.write(`zooproof report: ${err.message}\n`);
    return EXIT_BAD_ARGS;
  }
}

