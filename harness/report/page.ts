// The run report page: one self-contained HTML file (pure: data and the
// page's script and style in, text out). No network fetch: the script and
// style are inlined, the data is embedded as escaped JSON (escape.ts).
import type { ReportData } from './data.ts';
import { embedJson, htmlText } from './escape.ts';

/** The page's own script and style, and uPlot's (MIT, inlined from node_modules/uplot: no network). */
export interface PageAssets { script: string; style: string; uplotScript: string; uplotStyle: string }

/** Closes no element early: the inlined script and style must not contain `</script` or `</style`. */
function inlineSafe(text: string, tag: 'script' | 'style'): string {
  if (new RegExp(`</${tag}`, 'i').test(text)) throw new Error(`report asset contains </${tag}`);
  return text;
}

export function renderReportHtml(data: ReportData, assets: PageAssets): string {
  const title = `zooproof: ${data.title} — ${data.verdict.toUpperCase()}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${htmlText(title)}</title>
<style>${inlineSafe(assets.uplotStyle, 'style')}</style>
<style>${inlineSafe(assets.style, 'style')}</style></head>
<body>
<header><h1>${htmlText(data.title)}</h1><span id="head-verdict" class="badge ${htmlText(data.verdict)}">${htmlText(data.verdict)}</span><span id="head-meta" class="meta"></span></header>
<nav><a href="#summary">Summary</a><a href="#timeline-section">Timeline</a><a href="#zab-section">Zab</a><a href="#plots">Latency &amp; throughput</a><a href="#counterexample">Counterexample</a><a href="#anomalies">Anomalies</a><a href="#faults">Faults</a><a href="#logs">Txn logs</a><a href="history.jsonl">history.jsonl</a><a href="results.json">results.json</a></nav>
<main>
<section id="summary"></section>
<section id="timeline-section"><h2>Timeline</h2>
<div class="toolbar"><button id="zoom-in">zoom in</button><button id="zoom-out">zoom out</button><button id="zoom-fit">whole run</button><button id="jump-first-error" class="primary">jump to first error</button><span id="view-range" class="muted"></span></div>
<div class="legend" id="timeline-legend"></div><p id="timeline-stats" class="muted"></p>
<div class="canvas-wrap scroll"><canvas id="timeline"></canvas></div>
<h3>Selected operation</h3><div id="op-details"></div></section>
<section id="zab-section"><h2>Zab: each server's role, epoch and last zxid</h2><div class="legend" id="zab-legend"></div><p id="zab-empty" class="muted"></p>
<div class="canvas-wrap"><canvas id="zab"></canvas></div></section>
<section id="plots"><h2>Latency and throughput</h2><div class="legend" id="plot-legend"></div>
<p class="muted">Drawn with uPlot. Drag across a plot or use the wheel to zoom every view; the two plots share their cursor.</p>
<h3>Latency of each completed operation (log scale)</h3><div class="plot-wrap" id="latency"></div>
<h3>Throughput (ok per second by operation; fail and info dashed)</h3><div class="plot-wrap" id="throughput"></div></section>
<section id="counterexample"><h2>Counterexample</h2></section>
<section id="anomalies"><h2>Anomalies and evidence</h2></section>
<section id="faults"><h2>Faults</h2><div id="fault-list"></div></section>
<section id="logs"><h2>Txn logs, side by side</h2><div id="log-view"></div></section>
</main>
<div id="tooltip"></div>
<script id="report-data" type="application/json">${embedJson(data)}</script>
<script>${inlineSafe(assets.uplotScript, 'script')}</script>
<script>${inlineSafe(assets.script, 'script')}</script>
</body></html>
`;
}
