// Writing a run's index.html from its directory: history.jsonl, results.json
// and cluster-state.jsonl, whichever exist.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readHistoryFile } from '../history/read.ts';
import type { History } from '../history/types.ts';
import { CLUSTER_STATE_FILE } from '../observe/observer.ts';
import { readClusterState } from '../observe/read.ts';
import type { ClusterStateRecord } from '../observe/types.ts';
import type { ResultsFile } from '../run/check.ts';
import { buildReportData, type ReportInput } from './data.ts';
import { renderReportHtml, type PageAssets } from './page.ts';

export const REPORT_FILE = 'index.html';

let assets: PageAssets | undefined;

export function pageAssets(): PageAssets {
  assets ??= {
    script: readFileSync(new URL('./assets/report.js', import.meta.url), 'utf8'),
    style: readFileSync(new URL('./assets/report.css', import.meta.url), 'utf8'),
  };
  return assets;
}

/** The report's HTML for data already in memory. */
export function reportHtml(input: ReportInput): string {
  return renderReportHtml(buildReportData(input), pageAssets());
}

export interface RunFiles { history: History; results?: ResultsFile; clusterState: ClusterStateRecord[] }

export async function readRunFiles(runDir: string): Promise<RunFiles> {
  const history = await readHistoryFile(join(runDir, 'history.jsonl'));
  const resultsPath = join(runDir, 'results.json');
  const results = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) as ResultsFile : undefined;
  const statePath = join(runDir, CLUSTER_STATE_FILE);
  const clusterState = existsSync(statePath) ? readClusterState(statePath) : [];
  return { history, ...(results ? { results } : {}), clusterState };
}

/** Writes `<runDir>/index.html` and returns its path. */
export function writeRunReport(runDir: string, files: RunFiles): string {
  const path = join(runDir, REPORT_FILE);
  writeFileSync(path, reportHtml(files));
  return path;
}
