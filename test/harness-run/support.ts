// Running `zooproof run` from tests: in-process through executeRun (the same
// code path as the CLI after argument parsing), output in a temp directory
// removed afterwards, and the recorded history read back.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIBFAKETIME } from '../../harness/cluster/node-db.ts';
import { targetUnavailableReason } from '../../harness/cluster/targets.ts';
import { parseJsonlHistory } from '../../harness/history/jsonl.ts';
import type { History } from '../../harness/history/types.ts';
import { resolveOptions } from '../../harness/run-command.ts';
import type { ResultsFile } from '../../harness/run/check.ts';
import { executeRun } from '../../harness/run/run.ts';
import { available, unavailable, type Availability } from '../support/skip.ts';

export interface FinishedRun {
  exitCode: number;
  results: ResultsFile;
  history: History;
  output: string;
}

export function tempOut(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'zooproof-run-it-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function runZooproof(name: string, flags: Record<string, string>, outDir: string): Promise<FinishedRun> {
  const options = resolveOptions(name, { ...flags, out: outDir });
  let output = '';
  const outcome = await executeRun(options, (text) => { output += text; });
  if (outcome.results.harnessError !== undefined && outcome.results.history === '(none)') {
    throw new Error(`run failed before recording anything: ${outcome.results.harnessError}\n${output}`);
  }
  const history = parseJsonlHistory(readFileSync(outcome.results.history, 'utf8'));
  return { exitCode: outcome.exitCode, results: outcome.results, history, output };
}

export function targetAvailability(target: 'reference' | 'zookeeper'): Availability {
  const why = targetUnavailableReason(target);
  return why === undefined ? available : unavailable(why);
}

export function faketimeAvailability(): Availability {
  return existsSync(LIBFAKETIME) ? available : unavailable(`${LIBFAKETIME} missing (Debian package 'faketime')`);
}

export function both(a: Availability, b: Availability): Availability {
  return a.ok ? b : a;
}

/** The start op of each fault kind, by its history function name. */
export const START_FS: Record<string, string> = {
  kill: 'kill', pause: 'pause', partition: 'start-partition', clock: 'bump-clock', disk: 'start-disk-fault',
};
