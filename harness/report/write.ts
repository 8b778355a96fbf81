// Writing a run's index.html from its directory: history.jsonl, results.json
// and cluster-state.jsonl, whichever exist.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { readHistoryFile } from '../history/read.ts';
import type { History } from '../history/types.ts';
import { CLUSTER_STATE_FILE } from '../observe/observer.ts';
import { readClusterState } from '../observe/read.ts';
import type { ClusterStateRecord } from '../observe/types.ts';
import type { ResultsFile } from '../run/check.ts';
import { buildReportData, type ReportInput } from './data.ts';
import { DEFAULT_FORENSICS_LIMITS } from '../checker/forensics/index.ts';
import { readNodeHistory, type NodeHistory } from '../checker/forensics/node-history.ts';
import { loadForensicsInput } from '../run/forensics.ts';
import { renderReportHtml, type PageAssets } from './page.ts';

export const REPORT_FILE = 'index.html';
/** Resolves uPlot's files in node_modules (they are inlined into every report). */
const UPLOT = createRequire(import.meta.url);

let assets: PageAssets | undefined;

export function pageAssets(): PageAssets {
  assets ??= {
    script: readFileSync(new URL('./assets/report.js', import.meta.url), 'utf8'),
    style: readFileSync(new URL('./assets/report.css', import.meta.url), 'utf8'),
    uplotScript: readFileSync(UPLOT.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    uplotStyle: readFileSync(UPLOT.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return assets;
}

/** The report's HTML for data already in memory. */
export function reportHtml(input: ReportInput): string {
  return renderReportHtml(buildReportData(input), pageAssets());
}

export interface RunFiles { history: History; results?: ResultsFile; clusterState: ClusterStateRecord[]; nodeHistories?: NodeHistory[] }

/** The run's cluster directory (also when the run directory was moved), or undefined. */
export function clusterDirOf(runDir: string, recorded: unknown): string | undefined {
  if (typeof recorded !== 'string') return undefined;
  if (existsSync(recorded)) return recorded;
  const moved = join(runDir, basename(recorded));
  return existsSync(moved) ? moved : undefined;
}

/** Every node's txn log, decoded, for the log view; undefined when the node directories are gone or unreadable. */
function readNodeHistories(clusterDir: string | undefined, nodes: readonly string[] | undefined): NodeHistory[] | undefined {
  if (clusterDir === undefined || !nodes || nodes.length === 0) return undefined;
  try {
    return loadForensicsInput(clusterDir, nodes, { readNewestSnapshot: false })
      .map((input) => readNodeHistory(input, DEFAULT_FORENSICS_LIMITS.maxTxnBytes, [], () => undefined));
  } catch {
    return undefined;
  }
}

export async function readRunFiles(runDir: string): Promise<RunFiles> {
  const history = await readHistoryFile(join(runDir, 'history.jsonl'));
  const resultsPath = join(runDir, 'results.json');
  const results = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) as ResultsFile : undefined;
  const statePath = join(runDir, CLUSTER_STATE_FILE);
  const clusterState = existsSync(statePath) ? readClusterState(statePath) : [];
  const nodeHistories = readNodeHistories(clusterDirOf(runDir, history.meta.clusterDir), history.meta.nodes);
  return { history, ...(results ? { results } : {}), clusterState, ...(nodeHistories ? { nodeHistories } : {}) };
}

/** Writes `<runDir>/index.html` and returns its path. */
export function writeRunReport(runDir: string, files: RunFiles): string {
  const path = join(runDir, REPORT_FILE);
  writeFileSync(path, reportHtml(files));
  return path;
}
