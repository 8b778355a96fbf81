// Writing `<dir>/consistency.html` over every run under `<dir>`
// (`zooproof report --consistency <dir>`, and the nightly).
import { writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { collectConsistencyRuns, consistencyTable, type ConsistencyTable } from './consistency.ts';
import { renderConsistencyHtml } from './consistency-page.ts';

export const CONSISTENCY_FILE = 'consistency.html';

/** This machine in one line: CPU model, cores, memory, OS. */
export function machineLine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${type()} ${release()}`;
}

export function writeConsistencyPage(dir: string, title = 'zooproof consistency report'): { path: string; table: ConsistencyTable } {
  const table = consistencyTable(collectConsistencyRuns(dir));
  const path = join(dir, CONSISTENCY_FILE);
  writeFileSync(path, renderConsistencyHtml(table, { title, generatedAt: new Date().toISOString(), machine: machineLine() }));
  return { path, table };
}
