// The run report's page script (inlined into index.html by harness/report/write.ts).
// Reads the data from <script id="report-data" type="application/json"> and
// builds the page with DOM calls: every value from the history goes in as
// textContent or an attribute set by setAttribute, never as HTML.
/* global document, window, requestAnimationFrame, navigator, performance */
// uPlot (window.uPlot) is inlined before this script; the page works without it, minus the plots.
(function () {
  'use strict';
  const D = JSON.parse(document.getElementById('report-data').textContent);
  const O = D.ops;
  const S = D.strings;
  const N = O.lane.length;
  const STATUS = ['ok', 'fail', 'info'];
  const COLORS = { ok: '#3f9b57', fail: '#d0454c', info: '#e6a019' };
  // Operation types: none of the status colours (ok green, fail red, info orange).
  const PALETTE = ['#245ea8', '#7b3fa0', '#1c9aa0', '#a0522d', '#c2378f', '#5b6b2f', '#444', '#6d8fd6', '#b8860b', '#2f4f4f'];
  const MODE = {
    leader: ['LEADING', '#1f5fbf'], follower: ['FOLLOWING', '#7fb0e6'], observer: ['OBSERVING', '#b7a3e0'],
    standalone: ['STANDALONE', '#1f5fbf'], 'read-only': ['READ-ONLY', '#9fc5a8'], 'not-serving': ['LOOKING', '#f3c94b'],
    down: ['down', '#55585c'], paused: ['paused', '#a9acb0'],
  };
  const str = (i) => (i < 0 || i === undefined ? '' : S[i]);

  function el(tag, attrs) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const k of Object.keys(attrs)) {
        const v = attrs[k];
        if (v === undefined || v === null) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = String(v);
        else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, String(v));
      }
    }
    for (let i = 2; i < arguments.length; i++) {
      const c = arguments[i];
      if (c === undefined || c === null || c === false) continue;
      e.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  const $ = (id) => document.getElementById(id);
  const fmtMs = (ms) => (ms >= 1000 ? (ms / 1000).toFixed(ms >= 10000 ? 1 : 3) + ' s' : ms.toFixed(ms >= 10 ? 1 : 3) + ' ms');
  const hex = (n) => (n < 0 ? '' : '0x' + n.toString(16));

  // ---------- indexes ----------
  const byEvent = new Map();
  for (let i = 0; i < N; i++) {
    byEvent.set(O.invokeIndex[i], i);
    if (O.completeIndex[i] >= 0) byEvent.set(O.completeIndex[i], i);
  }
  const byOpId = new Map();
  for (let i = 0; i < N; i++) byOpId.set(O.id[i], i);
  const laneOps = D.lanes.map(() => []);
  for (let i = 0; i < N; i++) laneOps[O.lane[i]].push(i);
  const fNames = [];
  const fColor = new Map();
  for (let i = 0; i < N; i++) {
    const f = str(O.f[i]);
    if (!fColor.has(f)) { fColor.set(f, PALETTE[fNames.length % PALETTE.length]); fNames.push(f); }
  }

  const state = { view: { t0: 0, t1: Math.max(D.endMs, 1) }, selected: -1, highlight: new Set(), cursorMs: null, clicks: 0 };
  window.zooproofReport = state;

  // ---------- summary ----------
  function kvTable(obj) {
    const t = el('table', { class: 'kv' });
    for (const k of Object.keys(obj || {})) {
      const v = obj[k];
      t.append(el('tr', null, el('td', { text: k }), el('td', { text: typeof v === 'string' ? v : JSON.stringify(v) })));
    }
    return t;
  }

  function renderSummary() {
    const s = $('summary');
    const bits = [];
    if (D.target) bits.push('target ' + D.target);
    if (D.seed !== undefined) bits.push('seed ' + D.seed);
    if (D.startedAt) bits.push('started ' + D.startedAt);
    if (D.durationMs !== undefined) bits.push('took ' + (D.durationMs / 1000).toFixed(1) + ' s');
    $('head-meta').textContent = bits.join(' · ');
    const overall = $('head-verdict');
    overall.textContent = D.verdict;
    overall.className = 'badge ' + D.verdict;
    s.append(el('h2', { text: 'Summary' }));
    const intro = D.verdict === 'valid' ? 'Every checker passed on this history.'
      : D.verdict === 'invalid' ? 'At least one checker found a violation (below, with its evidence).'
        : D.verdict === 'error' ? 'The harness itself failed; verdicts may be missing.' : 'At least one checker could not decide.';
    s.append(el('p', null, intro, D.expect ? ' The scenario expects ' + D.expect + ' on a correct server.' : '',
      D.bugs && D.bugs.length ? ' Planted bugs: ' + D.bugs.join(', ') + '.' : ''));
    if (D.harnessError) s.append(el('pre', { text: D.harnessError }));
    for (const c of D.checkers) {
      s.append(el('div', { class: 'checker' },
        el('span', { class: 'badge ' + c.verdict, text: c.verdict }), el('span', { class: 'name', text: c.checker }),
        el('span', { text: c.summary }), c.checkMs !== undefined ? el('span', { class: 'muted', text: ' (' + c.checkMs + ' ms)' }) : null,
        el('p', { text: c.about + ' ' + c.meaning })));
    }
    if (D.checkers.length === 0) s.append(el('p', { class: 'muted', text: 'No checker ran.' }));
    if (D.command) {
      const pre = el('pre', { id: 'reproduce', text: D.command });
      const copy = el('button', { text: 'copy', onclick: () => { if (navigator.clipboard) navigator.clipboard.writeText(D.command).catch(() => undefined); } });
      s.append(el('h3', null, 'Reproduce ', copy), pre);
    }
    const c = D.counts;
    if (c) s.append(el('p', { text: 'Client operations: ' + (c.ok + c.fail + c.info) + ' (' + c.ok + ' ok, ' + c.fail + ' fail, ' + c.info + ' info); ' + c.nemesisOps + ' nemesis ops.' }));
    s.append(el('details', null, el('summary', { text: 'Configuration and versions' }), kvTable(D.config), kvTable(D.versions)));
  }

  // ---------- time axis helpers ----------
  const LABEL_W = 92;
  const AXIS_H = 20;
  function setupCanvas(canvas, heightPx) {
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.parentElement.clientWidth;
    canvas.style.height = heightPx + 'px';
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(heightPx * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(heightPx * dpr);
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, heightPx);
    return { ctx, w, h: heightPx };
  }
  const xOf = (t, w) => LABEL_W + ((t - state.view.t0) / (state.view.t1 - state.view.t0)) * (w - LABEL_W);
  const tOf = (x, w) => state.view.t0 + ((x - LABEL_W) / (w - LABEL_W)) * (state.view.t1 - state.view.t0);

  function niceStep(span, px) {
    const raw = span / Math.max(1, px / 90);
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    const m = raw / p;
    return (m < 2 ? 2 : m < 5 ? 5 : 10) * p;
  }
  function drawAxis(ctx, w, top, bottom) {
    const step = niceStep(state.view.t1 - state.view.t0, w - LABEL_W);
    ctx.font = '11px system-ui,sans-serif';
    ctx.fillStyle = '#5f6b7a';
    ctx.strokeStyle = '#eef0f3';
    ctx.lineWidth = 1;
    for (let t = Math.ceil(state.view.t0 / step) * step; t <= state.view.t1; t += step) {
      const x = Math.round(xOf(t, w)) + 0.5;
      ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, bottom); ctx.stroke();
      ctx.fillText(fmtMs(t), x + 2, top + 12);
    }
  }
  function drawFaults(ctx, w, top, bottom, labels) {
    ctx.font = '11px system-ui,sans-serif';
    for (const f of D.faults) {
      const x0 = Math.max(LABEL_W, xOf(f.fromMs, w));
      if (f.toMs === null) {
        if (x0 < LABEL_W || x0 > w) continue;
        ctx.fillStyle = 'rgba(123,63,160,.7)';
        ctx.fillRect(x0, top, 1.5, bottom - top);
        if (labels) ctx.fillText(f.label.slice(0, 40), x0 + 3, top + 14);
        continue;
      }
      const x1 = Math.min(w, xOf(f.toMs, w));
      if (x1 < LABEL_W || x0 > w) continue;
      ctx.fillStyle = f.error ? 'rgba(123,63,160,.10)' : 'rgba(214,60,60,.10)';
      ctx.fillRect(x0, top, Math.max(1, x1 - x0), bottom - top);
      ctx.fillStyle = 'rgba(170,40,40,.85)';
      ctx.fillRect(x0, top, Math.max(1, x1 - x0), 3);
      if (labels && x1 - x0 > 30) {
        ctx.save(); ctx.beginPath(); ctx.rect(x0, top, x1 - x0, 18); ctx.clip();
        ctx.fillStyle = '#8a1f25'; ctx.fillText(f.label, x0 + 3, top + 14); ctx.restore();
      }
    }
  }
  function drawCursor(ctx, w, top, bottom) {
    if (state.cursorMs === null) return;
    const x = xOf(state.cursorMs, w);
    ctx.fillStyle = '#245ea8';
    ctx.fillRect(x - 0.5, top, 1.5, bottom - top);
  }

  // ---------- client timeline ----------
  const LANE_H = 16;
  const TL_TOP = AXIS_H + 18;
  function lowerBoundEnd(ids, t) {
    let lo = 0; let hi = ids.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (O.endMs[ids[m]] < t) lo = m + 1; else hi = m; }
    return lo;
  }
  function drawTimeline() {
    const canvas = $('timeline');
    const { ctx, w, h } = setupCanvas(canvas, TL_TOP + D.lanes.length * LANE_H + 6);
    drawAxis(ctx, w, 0, h);
    drawFaults(ctx, w, AXIS_H, h, true);
    const scale = (w - LABEL_W) / (state.view.t1 - state.view.t0);
    ctx.font = '11px system-ui,sans-serif';
    let drawn = 0;
    for (let l = 0; l < D.lanes.length; l++) {
      const y = TL_TOP + l * LANE_H;
      ctx.fillStyle = '#1d232b';
      ctx.fillText(D.lanes[l], 4, y + 11);
      const ids = laneOps[l];
      const start = lowerBoundEnd(ids, state.view.t0);
      // ok first, then fail and info on top: at any zoom every failing op keeps at least one pixel.
      for (let pass = 0; pass < 2; pass++) {
        let lastPx = -1;
        for (let k = start; k < ids.length; k++) {
          const i = ids[k];
          if (O.startMs[i] > state.view.t1) break;
          const st = O.status[i];
          if ((pass === 0) !== (st === 0)) continue;
          const x0 = Math.max(LABEL_W, LABEL_W + (O.startMs[i] - state.view.t0) * scale);
          const x1 = Math.min(w, LABEL_W + (O.endMs[i] - state.view.t0) * scale);
          if (x1 < lastPx + 1 && x1 - x0 < 1) continue;
          lastPx = x1;
          ctx.fillStyle = COLORS[STATUS[st]];
          ctx.fillRect(x0, y + 2, Math.max(1, x1 - x0), LANE_H - 4);
          drawn++;
        }
      }
    }
    for (const n of D.notifications) {
      if (n.lane < 0 || n.atMs < state.view.t0 || n.atMs > state.view.t1) continue;
      ctx.fillStyle = '#245ea8';
      ctx.fillRect(xOf(n.atMs, w) - 0.5, TL_TOP + n.lane * LANE_H, 1.5, LANE_H);
    }
    const outline = (i, color) => {
      const x0 = xOf(O.startMs[i], w); const x1 = xOf(O.endMs[i], w);
      ctx.strokeStyle = color; ctx.lineWidth = 2;
      ctx.strokeRect(Math.max(LABEL_W, x0) - 1, TL_TOP + O.lane[i] * LANE_H + 1, Math.max(3, Math.min(w, x1) - Math.max(LABEL_W, x0) + 2), LANE_H - 2);
    };
    for (const i of state.highlight) outline(i, '#7b3fa0');
    if (state.selected >= 0) outline(state.selected, '#111');
    drawCursor(ctx, w, AXIS_H, h);
    state.drawnOps = drawn;
  }
  function opAt(x, y, w) {
    const l = Math.floor((y - TL_TOP) / LANE_H);
    if (l < 0 || l >= D.lanes.length || x < LABEL_W) return -1;
    const t = tOf(x, w);
    const tol = (4 * (state.view.t1 - state.view.t0)) / (w - LABEL_W);
    const ids = laneOps[l];
    let best = -1; let bestD = Infinity;
    for (let k = lowerBoundEnd(ids, t - tol); k < ids.length; k++) {
      const i = ids[k];
      if (O.startMs[i] > t + tol) break;
      const d = t < O.startMs[i] ? O.startMs[i] - t : t > O.endMs[i] ? t - O.endMs[i] : 0;
      if (d < bestD || (d === bestD && O.status[i] !== 0)) { best = i; bestD = d; }
    }
    return best;
  }
  function opLines(i) {
    const lines = [
      str(O.f[i]) + ' ' + STATUS[O.status[i]] + '  (process ' + O.process[i] + ', ' + D.lanes[O.lane[i]] + ')',
      'invoked ' + fmtMs(O.startMs[i]) + (O.status[i] === 2 ? ', outcome unknown (info)' : ', returned ' + fmtMs(O.endMs[i]) + ' (latency ' + fmtMs(O.endMs[i] - O.startMs[i]) + ')'),
      'events ' + O.invokeIndex[i] + (O.completeIndex[i] >= 0 ? ' → ' + O.completeIndex[i] : ''),
      'input ' + str(O.input[i]),
    ];
    if (O.output[i] >= 0) lines.push('output ' + str(O.output[i]));
    if (O.node[i] >= 0) lines.push('node ' + str(O.node[i]));
    if (O.session[i] >= 0) lines.push('session ' + str(O.session[i]));
    if (O.zxid[i] >= 0) lines.push('zxid ' + hex(O.zxid[i]));
    if (O.error[i] >= 0) lines.push('error ' + str(O.error[i]));
    return lines;
  }
  const tooltip = () => $('tooltip');
  function showTip(ev, lines) {
    const t = tooltip();
    t.textContent = lines.join('\n');
    t.style.display = 'block';
    t.style.left = Math.min(ev.clientX + 14, window.innerWidth - 540) + 'px';
    t.style.top = ev.clientY + 14 + 'px';
  }
  const hideTip = () => { tooltip().style.display = 'none'; };

  function showDetails(i) {
    const box = $('op-details');
    box.textContent = '';
    if (i < 0) { box.append(el('span', { class: 'none', text: 'Click an operation for its details.' })); return; }
    box.append(el('pre', { text: opLines(i).join('\n') }));
  }
  function selectOp(i, zoom) {
    if (i < 0 || i >= N) return;
    state.selected = i;
    if (zoom) {
      const dur = Math.max(O.endMs[i] - O.startMs[i], 1);
      const pad = Math.max(dur * 4, 200);
      state.view = { t0: Math.max(0, O.startMs[i] - pad), t1: Math.min(D.endMs, O.endMs[i] + pad) };
      if (state.view.t1 - state.view.t0 < 1) state.view.t1 = state.view.t0 + 1;
      $('timeline-section').scrollIntoView({ block: 'start' });
    }
    showDetails(i);
    redraw();
  }
  function selectEvent(index, zoom) {
    const i = byEvent.get(index);
    if (i !== undefined) { selectOp(i, zoom); return true; }
    return false;
  }
  function selectTime(ms) {
    state.cursorMs = ms;
    state.view = { t0: Math.max(0, ms - 1000), t1: Math.min(D.endMs, ms + 1000) };
    $('timeline-section').scrollIntoView({ block: 'start' });
    redraw();
  }
  state.selectEvent = selectEvent;
  /** Where op i is drawn on the timeline canvas (CSS pixels from its top-left), for tests and tools. */
  state.opPoint = (i) => {
    const w = $('timeline').clientWidth;
    const x0 = Math.max(LABEL_W, xOf(O.startMs[i], w)); const x1 = Math.min(w, xOf(O.endMs[i], w));
    return { x: (x0 + x1) / 2, y: TL_TOP + O.lane[i] * LANE_H + LANE_H / 2 };
  };
  state.selectOp = selectOp;

  // ---------- Zab lanes ----------
  const ZAB_H = 22;
  function drawZab() {
    const canvas = $('zab');
    const nodes = D.zab.nodes;
    const { ctx, w, h } = setupCanvas(canvas, AXIS_H + Math.max(1, nodes.length) * ZAB_H + 8);
    drawAxis(ctx, w, 0, h);
    drawFaults(ctx, w, AXIS_H, h, false);
    ctx.font = '11px system-ui,sans-serif';
    const yOf = (node) => AXIS_H + nodes.indexOf(node) * ZAB_H;
    nodes.forEach((n) => { ctx.fillStyle = '#1d232b'; ctx.fillText(n, 4, yOf(n) + 14); });
    for (const s of D.zab.segments) {
      if (s.toMs < state.view.t0 || s.fromMs > state.view.t1) continue;
      const x0 = Math.max(LABEL_W, xOf(s.fromMs, w)); const x1 = Math.min(w, xOf(s.toMs, w));
      const m = MODE[s.mode] || [s.mode, '#ccc'];
      const y = yOf(s.node);
      ctx.fillStyle = m[1];
      ctx.fillRect(x0, y + 3, Math.max(1, x1 - x0), ZAB_H - 6);
      const label = m[0] + (s.epoch !== undefined ? ' e' + s.epoch : '') + (s.zxid ? ' ' + s.zxid : '');
      if (x1 - x0 > 40) {
        ctx.save(); ctx.beginPath(); ctx.rect(x0, y, x1 - x0, ZAB_H); ctx.clip();
        ctx.fillStyle = s.mode === 'down' || s.mode === 'leader' || s.mode === 'standalone' ? '#fff' : '#1d232b';
        ctx.fillText(label, x0 + 3, y + 15); ctx.restore();
      }
    }
    for (const k of D.zab.marks) {
      if (k.atMs < state.view.t0 || k.atMs > state.view.t1) continue;
      const x = xOf(k.atMs, w); const y = yOf(k.node);
      const letter = { DIFF: 'D', TRUNC: 'T', SNAP: 'S', election: 'E', looking: 'L', snapshot: '*', fatal: '!' }[k.kind] || '?';
      ctx.fillStyle = k.kind === 'TRUNC' || k.kind === 'fatal' ? '#c0282f' : k.kind === 'election' || k.kind === 'looking' ? '#7b3fa0' : '#0b6b3a';
      ctx.beginPath(); ctx.moveTo(x, y + 1); ctx.lineTo(x - 5, y - 6); ctx.lineTo(x + 5, y - 6); ctx.fill();
      ctx.fillRect(x - 0.5, y, 1, ZAB_H);
      ctx.fillText(letter, x + 3, y + 2);
    }
    drawCursor(ctx, w, AXIS_H, h);
  }
  function zabAt(x, y, w) {
    const nodes = D.zab.nodes;
    const idx = Math.floor((y - AXIS_H) / ZAB_H);
    if (idx < 0 || idx >= nodes.length || x < LABEL_W) return null;
    const node = nodes[idx]; const t = tOf(x, w);
    const tol = (6 * (state.view.t1 - state.view.t0)) / (w - LABEL_W);
    const lines = [];
    const seg = D.zab.segments.find((s) => s.node === node && s.fromMs <= t && s.toMs >= t);
    if (seg) lines.push(node + ': ' + (MODE[seg.mode] ? MODE[seg.mode][0] : seg.mode) + (seg.epoch !== undefined ? ', epoch ' + seg.epoch : '') + (seg.zxid ? ', last zxid ' + seg.zxid : '') + '  [' + fmtMs(seg.fromMs) + ' – ' + fmtMs(seg.toMs) + ']');
    for (const k of D.zab.marks) if (k.node === node && Math.abs(k.atMs - t) <= tol) lines.push(k.kind + ' at ' + fmtMs(k.atMs) + ': ' + k.text);
    return lines.length ? lines : null;
  }

  // ---------- latency and throughput (uPlot, inlined from node_modules/uplot) ----------
  // uPlot draws the axes, grid, series and the plots' shared cursor; the time
  // scale stays the page's (state.view): every redraw sets it, and a drag or
  // wheel on a plot zooms every view. Fault bands and the selected time are
  // drawn in uPlot's draw hooks, on the same x scale.
  const PLOT_SYNC = window.uPlot ? window.uPlot.sync('zooproof') : null;
  const plots = {};
  /** Plot-area geometry: the y axis takes LABEL_W, so times line up with the timeline and Zab lanes. */
  function faultHook(u) {
    const ctx = u.ctx; const b = u.bbox; const dpr = window.devicePixelRatio || 1;
    ctx.save();
    ctx.beginPath(); ctx.rect(b.left, b.top, b.width, b.height); ctx.clip();
    for (const f of D.faults) {
      const x0 = u.valToPos(f.fromMs, 'x', true);
      if (f.toMs === null) { ctx.fillStyle = 'rgba(123,63,160,.7)'; ctx.fillRect(x0, b.top, 1.5 * dpr, b.height); continue; }
      const x1 = u.valToPos(f.toMs, 'x', true);
      if (x1 < b.left || x0 > b.left + b.width) continue;
      ctx.fillStyle = f.error ? 'rgba(123,63,160,.10)' : 'rgba(214,60,60,.10)';
      ctx.fillRect(x0, b.top, Math.max(1, x1 - x0), b.height);
    }
    ctx.restore();
  }
  /** The bands' top edge, over the grid. */
  function faultEdgeHook(u) {
    const b = u.bbox; const dpr = window.devicePixelRatio || 1;
    u.ctx.fillStyle = 'rgba(170,40,40,.85)';
    for (const f of D.faults) {
      if (f.toMs === null) continue;
      const x0 = Math.max(b.left, u.valToPos(f.fromMs, 'x', true)); const x1 = Math.min(b.left + b.width, u.valToPos(f.toMs, 'x', true));
      if (x1 > x0) u.ctx.fillRect(x0, b.top, x1 - x0, 3 * dpr);
    }
  }
  function cursorHook(u) {
    if (state.cursorMs === null) return;
    const b = u.bbox; const x = u.valToPos(state.cursorMs, 'x', true);
    if (x < b.left || x > b.left + b.width) return;
    u.ctx.fillStyle = '#245ea8';
    u.ctx.fillRect(x - 0.5, b.top, 1.5 * (window.devicePixelRatio || 1), b.height);
  }
  /** uPlot gives null for ticks it leaves unlabelled (log scales). */
  const tickMs = (v) => (v === null || v === undefined ? '' : fmtMs(v));
  const timeAxis = { size: AXIS_H + 6, stroke: '#5f6b7a', grid: { stroke: '#eef0f3', width: 1 }, ticks: { show: false }, font: '11px system-ui,sans-serif',
    values: (u, ticks) => ticks.map(tickMs), space: 90 };
  function plotOptions(container, heightPx, series, yAxis, yScale, legendShown) {
    return {
      width: Math.max(200, container.clientWidth), height: heightPx, padding: [8, 0, 0, 0], legend: { show: legendShown, live: legendShown },
      cursor: { sync: PLOT_SYNC ? { key: PLOT_SYNC.key } : undefined, drag: { x: true, y: false, setScale: false }, points: { show: false } },
      scales: { x: { time: false, auto: false, range: () => [state.view.t0, state.view.t1] }, y: yScale },
      axes: [timeAxis, Object.assign({ size: LABEL_W, stroke: '#5f6b7a', grid: { stroke: '#eef0f3', width: 1 }, ticks: { show: false }, font: '11px system-ui,sans-serif' }, yAxis)],
      series: [{ label: 'time', value: (u, v) => (v === null || v === undefined ? '' : fmtMs(v)) }].concat(series),
      hooks: {
        drawClear: [faultHook], draw: [faultEdgeHook, cursorHook],
        setSelect: [(u) => {
          if (u.select.width < 3) return;
          const t0 = u.posToVal(u.select.left, 'x'); const t1 = u.posToVal(u.select.left + u.select.width, 'x');
          u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
          state.view = { t0: Math.max(0, t0), t1: Math.min(D.endMs, Math.max(t1, t0 + 0.05)) };
          redraw();
        }],
      },
    };
  }
  function wheelZoom(u) {
    u.over.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      const r = u.over.getBoundingClientRect();
      zoomAt(u.posToVal(ev.clientX - r.left, 'x'), ev.deltaY > 0 ? 1.25 : 0.8);
    }, { passive: false });
  }
  // Latency: every completed op at its completion time, one series per operation type (fail in red), log scale.
  function latencyData() {
    const idx = [];
    for (let i = 0; i < N; i++) if (O.status[i] !== 2) idx.push(i);
    idx.sort((a, b) => O.endMs[a] - O.endMs[b]);
    const keys = fNames.concat(['(fail)']);
    const ys = keys.map(() => new Array(idx.length).fill(null));
    const xs = new Float64Array(idx.length);
    const col = new Map(keys.map((k, j) => [k, j]));
    idx.forEach((i, k) => {
      xs[k] = O.endMs[i];
      ys[O.status[i] === 1 ? keys.length - 1 : col.get(str(O.f[i]))][k] = Math.max(0.01, O.endMs[i] - O.startMs[i]);
    });
    return { keys, data: [xs].concat(ys) };
  }
  /** Scatter points as small squares, drawn straight onto uPlot's canvas (no path per point): 100k points stay quick. The fail series is last, on top. */
  function squares(u, si, i0, i1) {
    const ctx = u.ctx; const xs = u.data[0]; const ys = u.data[si]; const b = u.bbox;
    const size = Math.max(2, Math.round(2.5 * (window.devicePixelRatio || 1)));
    ctx.save();
    ctx.beginPath(); ctx.rect(b.left, b.top, b.width, b.height); ctx.clip();
    ctx.fillStyle = u.series[si].stroke();
    for (let i = i0; i <= i1; i++) {
      const y = ys[i];
      if (y === null) continue;
      ctx.fillRect(Math.round(u.valToPos(xs[i], 'x', true)) - 1, Math.round(u.valToPos(y, 'y', true)) - 1, size, size);
    }
    ctx.restore();
    return null;
  }
  function drawLatency() {
    const box = $('latency');
    if (!window.uPlot) { box.textContent = 'uPlot missing: no plots.'; return; }
    if (!plots.latency) {
      const { keys, data } = latencyData();
      const series = keys.map((k, j) => ({ label: k, stroke: j === keys.length - 1 ? COLORS.fail : fColor.get(k), paths: squares,
        points: { show: false }, value: (u, v) => (v === null ? '' : fmtMs(v)) }));
      const opts = plotOptions(box, 220, series, { values: (u, ticks) => ticks.map(tickMs) }, { distr: 3, log: 10 }, false);
      plots.latency = new window.uPlot(opts, data, box);
      wheelZoom(plots.latency);
      return;
    }
    syncPlot(plots.latency, box);
  }
  // Throughput: ok ops per second by operation type, fail and info together (dashed), binned over the view.
  function throughputData() {
    const u = plots.throughput;
    const w = u ? u.bbox.width / (window.devicePixelRatio || 1) : $('throughput').clientWidth - LABEL_W;
    const bins = Math.max(10, Math.floor(w / 6));
    const t0 = state.view.t0; const span = state.view.t1 - t0; const binMs = span / bins; const toRate = 1000 / binMs;
    const ok = fNames.map(() => new Float64Array(bins)); const failed = new Float64Array(bins);
    const col = new Map(fNames.map((f, j) => [f, j]));
    for (let i = 0; i < N; i++) {
      const t = O.status[i] === 2 ? O.startMs[i] : O.endMs[i];
      if (t < t0 || t >= state.view.t1) continue;
      const b = Math.floor((t - t0) / binMs);
      if (O.status[i] === 0) ok[col.get(str(O.f[i]))][b] += toRate; else failed[b] += toRate;
    }
    const xs = new Float64Array(bins);
    for (let b = 0; b < bins; b++) xs[b] = t0 + (b + 0.5) * binMs;
    return [xs].concat(ok, [failed]);
  }
  function drawThroughput() {
    const box = $('throughput');
    if (!window.uPlot) return;
    if (!plots.throughput) {
      const series = fNames.map((f) => ({ label: f, stroke: fColor.get(f), width: 1.5, value: (u, v) => (v === null ? '' : v.toFixed(0) + '/s') }))
        .concat([{ label: 'fail / info', stroke: COLORS.fail, width: 1.5, dash: [4, 3], value: (u, v) => (v === null ? '' : v.toFixed(0) + '/s') }]);
      const opts = plotOptions(box, 200, series, { values: (u, ticks) => ticks.map((v) => (v === null ? '' : v + '/s')) }, { range: (u, lo, hi) => [0, Math.max(1, hi)] }, true);
      plots.throughput = new window.uPlot(opts, [new Float64Array(0)].concat(series.map(() => new Float64Array(0))), box);
      wheelZoom(plots.throughput);
    }
    const u = plots.throughput;
    if (u.width !== Math.max(200, box.clientWidth)) u.setSize({ width: Math.max(200, box.clientWidth), height: 200 });
    u.setData(throughputData());
  }
  /** The page's view (and width) into a plot: its x range follows state.view. */
  function syncPlot(u, box) {
    const w = Math.max(200, box.clientWidth);
    if (u.width !== w) u.setSize({ width: w, height: u.height });
    u.setScale('x', { min: state.view.t0, max: state.view.t1 });
  }
  function legend() {
    const box = $('plot-legend');
    for (const f of fNames) box.append(el('span', { style: '--c:' + fColor.get(f), text: f }));
    box.append(el('span', { style: '--c:' + COLORS.fail, text: 'fail (latency) / fail and info (throughput, dashed)' }));
    box.append(el('span', { style: '--c:rgba(214,60,60,.35)', text: 'fault in force' }));
  }

  // ---------- redraw, zoom, pan ----------
  let pending = false;
  const VIEWS = [['timeline', drawTimeline], ['zab', drawZab], ['latency', drawLatency], ['throughput', drawThroughput]];
  const offscreenDirty = new Set();
  const PLOT_VIEWS = new Set(['latency', 'throughput']);
  const onScreen = (e) => { const r = e.getBoundingClientRect(); return r.bottom >= 0 && r.top <= window.innerHeight && r.width > 0; };
  window.addEventListener('scroll', () => { for (const [name] of VIEWS) if (offscreenDirty.has(name) && onScreen($(name))) { redraw(); return; } }, { passive: true });
  function redraw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      // Views scrolled out of sight are drawn when they come into sight (a pan of 100k ops redraws only what is seen).
      const times = {};
      for (const [name, draw] of VIEWS) {
        // The uPlot plots (below the fold) are built only when first scrolled into sight: opening the page does not wait for them.
        if ((state.drawn || PLOT_VIEWS.has(name)) && !onScreen($(name))) { offscreenDirty.add(name); continue; }
        offscreenDirty.delete(name);
        const t0 = performance.now();
        draw();
        times[name] = performance.now() - t0;
      }
      state.drawMs = times;
      state.drawn = true;
      $('view-range').textContent = fmtMs(state.view.t0) + ' – ' + fmtMs(state.view.t1);
    });
  }
  state.redraw = redraw;
  function zoomAt(t, factor) {
    const v = state.view;
    const span = Math.min(D.endMs, Math.max(0.05, (v.t1 - v.t0) * factor));
    let t0 = t - (t - v.t0) * (span / (v.t1 - v.t0));
    t0 = Math.max(0, Math.min(t0, D.endMs - span));
    state.view = { t0, t1: t0 + span };
    redraw();
  }
  function attach(canvas, hover) {
    let drag = null;
    canvas.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      const w = canvas.clientWidth; const r = canvas.getBoundingClientRect();
      zoomAt(tOf(ev.clientX - r.left, w), ev.deltaY > 0 ? 1.25 : 0.8);
    }, { passive: false });
    canvas.addEventListener('mousedown', (ev) => { drag = { x: ev.clientX, v: state.view, moved: false }; });
    window.addEventListener('mouseup', () => { setTimeout(() => { drag = null; }, 0); });
    canvas.addEventListener('mousemove', (ev) => {
      const r = canvas.getBoundingClientRect(); const w = canvas.clientWidth;
      if (drag && ev.buttons === 1) {
        const dt = ((ev.clientX - drag.x) / (w - LABEL_W)) * (drag.v.t1 - drag.v.t0);
        if (Math.abs(ev.clientX - drag.x) > 3) drag.moved = true;
        const span = drag.v.t1 - drag.v.t0;
        const t0 = Math.max(0, Math.min(D.endMs - span, drag.v.t0 - dt));
        state.view = { t0, t1: t0 + span };
        hideTip(); redraw(); return;
      }
      const lines = hover(ev.clientX - r.left, ev.clientY - r.top, w);
      if (lines) showTip(ev, lines); else hideTip();
    });
    canvas.addEventListener('mouseleave', hideTip);
    return () => drag && drag.moved;
  }

  function renderTimeline() {
    const dragged = attach($('timeline'), (x, y, w) => { const i = opAt(x, y, w); return i >= 0 ? opLines(i) : null; });
    $('timeline').addEventListener('click', (ev) => {
      if (dragged()) return;
      const r = ev.target.getBoundingClientRect();
      state.clicks++;
      const i = opAt(ev.clientX - r.left, ev.clientY - r.top, ev.target.clientWidth);
      if (i >= 0) selectOp(i, false);
    });
    attach($('zab'), zabAt);
    $('zoom-in').addEventListener('click', () => zoomAt((state.view.t0 + state.view.t1) / 2, 0.5));
    $('zoom-out').addEventListener('click', () => zoomAt((state.view.t0 + state.view.t1) / 2, 2));
    $('zoom-fit').addEventListener('click', () => { state.view = { t0: 0, t1: Math.max(D.endMs, 1) }; state.cursorMs = null; redraw(); });
    const first = firstError();
    const jump = $('jump-first-error');
    if (first === null) jump.disabled = true;
    else jump.addEventListener('click', first);
    const fl = $('timeline-legend');
    fl.append(el('span', { style: '--c:' + COLORS.ok, text: 'ok' }), el('span', { style: '--c:' + COLORS.fail, text: 'fail (certainly not applied)' }),
      el('span', { style: '--c:' + COLORS.info, text: 'info (outcome unknown)' }), el('span', { style: '--c:rgba(214,60,60,.35)', text: 'fault in force' }),
      el('span', { style: '--c:#7b3fa0', text: 'counterexample ops' }));
    $('timeline-stats').textContent = N + ' client operations in ' + D.lanes.length + ' lanes; ' + D.faults.length + ' fault(s). Wheel to zoom, drag to pan, hover for details, click to pin.';
    const zl = $('zab-legend');
    for (const k of Object.keys(MODE)) zl.append(el('span', { style: '--c:' + MODE[k][1], text: MODE[k][0] }));
    zl.append(el('span', { style: '--c:#0b6b3a', text: 'D/S: DIFF/SNAP sync, *: snapshot' }), el('span', { style: '--c:#c0282f', text: 'T: TRUNC, !: fatal' }),
      el('span', { style: '--c:#7b3fa0', text: 'E: election decided, L: looking' }));
    if (D.zab.nodes.length === 0) $('zab-empty').textContent = 'No cluster-state.jsonl for this run: no Zab lanes.';
    showDetails(-1);
  }

  // ---------- counterexample and anomalies ----------
  function firstError() {
    for (const c of D.checkers) {
      if (c.counterexample && c.counterexample.firstUnlinearizable) {
        const idx = c.counterexample.firstUnlinearizable.index;
        return () => { highlightPath(c.counterexample.longest[0]); selectEvent(idx, true); };
      }
    }
    for (const c of D.checkers) {
      if (c.verdict !== 'invalid') continue;
      for (const t of c.tables) for (const row of t.rows) for (const cell of row) if (cell.ref) return () => follow(cell.ref);
    }
    return null;
  }
  function follow(ref) {
    if (ref.kind === 'event') { if (!selectEvent(ref.index, true)) selectTime(eventTime(ref.index)); }
    else if (ref.kind === 'op') { if (byOpId.has(ref.id)) selectOp(byOpId.get(ref.id), true); }
    else selectTime(ref.ms);
  }
  function eventTime(index) {
    // An event that is not a client op (a nemesis op, a notification): the nearest op's time.
    let best = 0; let bestD = Infinity;
    for (let i = 0; i < N; i++) { const d = Math.abs(O.invokeIndex[i] - index); if (d < bestD) { bestD = d; best = O.startMs[i]; } }
    return best;
  }
  function highlightPath(path) {
    state.highlight = new Set();
    if (path) for (const s of path.steps) { const i = byEvent.get(s.index); if (i !== undefined) state.highlight.add(i); }
    redraw();
  }

  function renderCounterexample(c, box) {
    const cx = c.counterexample;
    box.append(el('h3', { text: c.checker + (cx.partition !== undefined && cx.partition !== null ? ' — key ' + JSON.stringify(cx.partition) : '') }));
    const f = cx.firstUnlinearizable;
    const jump = el('button', { class: 'primary', text: 'Jump to first error', onclick: () => { highlightPath(cx.longest[0]); selectEvent(f.index, true); } });
    if (f) box.append(el('p', null, 'The operation that cannot be linearized: ', el('strong', { text: f.op }), ' by process ' + f.process + ' (event ' + f.index + '). ', jump));
    else box.append(el('p', { text: 'No single operation is to blame; see the partial linearizations.' }));
    box.append(el('p', { class: 'muted', text: 'Each path below is one of the longest orders the search found in which every step was legal; after its last step, no remaining operation fits. The state column is the model\'s state after that step.' }));
    const paths = el('div', { class: 'paths' });
    const holder = el('div');
    const show = (p, k) => {
      holder.textContent = '';
      for (const b of paths.children) b.classList.remove('active');
      paths.children[k].classList.add('active');
      highlightPath(p);
      if (p.omitted > 0) holder.append(el('p', { class: 'muted', text: p.omitted + ' earlier step(s) not shown.' }));
      const t = el('table', { class: 'linearization' }, el('tr', null, el('th', { text: '#' }), el('th', { text: 'operation' }), el('th', { text: 'process' }), el('th', { text: 'event' }), el('th', { text: 'state after' })));
      p.steps.forEach((s, j) => {
        t.append(el('tr', { class: 'clickable', onclick: () => selectEvent(s.index, true) }, el('td', { text: p.omitted + j + 1 }), el('td', { text: s.op }),
          el('td', { text: s.process }), el('td', { text: s.index }), el('td', { text: s.state })));
      });
      if (f) t.append(el('tr', { class: 'clickable first-error', onclick: () => selectEvent(f.index, true) }, el('td', { text: '✗' }), el('td', { text: f.op }),
        el('td', { text: f.process }), el('td', { text: f.index }), el('td', { text: 'cannot be linearized here' })));
      holder.append(t);
    };
    cx.longest.forEach((p, k) => paths.append(el('button', { text: 'path ' + (k + 1) + ' (' + p.length + ' steps)', onclick: () => show(p, k) })));
    box.append(paths, holder);
    if (cx.longest.length > 0) show(cx.longest[0], 0);
    if (cx.deadEnd) {
      box.append(el('h3', { text: 'At the dead end (state ' + cx.deadEnd.state + ')' }));
      const t = el('table', null, el('tr', null, el('th', { text: 'candidate' }), el('th', { text: 'process' }), el('th', { text: 'what the model says' })));
      for (const c2 of cx.deadEnd.candidates) t.append(el('tr', { class: 'clickable', onclick: () => selectEvent(c2.index, true) }, el('td', { text: c2.op }), el('td', { text: c2.process }), el('td', { text: c2.verdict })));
      box.append(t);
    }
  }

  function renderTables(c, box) {
    const det = el('details', c.verdict === 'invalid' ? { open: '' } : null, el('summary', { text: c.checker + ' (' + c.verdict + '): ' + c.tables.length + ' table(s)' }));
    for (const t of c.tables) {
      det.append(el('h3', { text: t.title + (t.total ? ' (first ' + t.rows.length + ' of ' + t.total + ')' : ' (' + t.rows.length + ')') }));
      const table = el('table', { class: 'anomalies' }, el('tr', null, ...t.columns.map((k) => el('th', { text: k }))));
      for (const row of t.rows) {
        table.append(el('tr', null, ...row.map((cell) => el('td', null, cell.ref ? el('a', { class: 'ref', text: cell.text, onclick: (ev) => { ev.preventDefault(); follow(cell.ref); } }) : cell.text))));
      }
      det.append(table);
    }
    box.append(det);
  }

  function renderFindings() {
    const cx = $('counterexample');
    const withCx = D.checkers.filter((c) => c.counterexample);
    if (withCx.length === 0) cx.append(el('p', { class: 'muted', text: 'No linearizability checker found this history invalid.' }));
    for (const c of withCx) renderCounterexample(c, cx);
    const an = $('anomalies');
    const withTables = D.checkers.filter((c) => c.tables.length > 0);
    if (withTables.length === 0) an.append(el('p', { class: 'muted', text: 'No checker listed examples.' }));
    for (const c of withTables) renderTables(c, an);
    const fl = $('fault-list');
    if (D.faults.length === 0) fl.append(el('p', { class: 'muted', text: 'No faults.' }));
    else {
      const t = el('table', null, el('tr', null, el('th', { text: 'from' }), el('th', { text: 'to' }), el('th', { text: 'fault' }), el('th', { text: 'error' })));
      for (const f of D.faults) t.append(el('tr', { class: 'clickable', onclick: () => selectTime(f.fromMs) }, el('td', { text: fmtMs(f.fromMs) }), el('td', { text: f.toMs === null ? '(instant)' : fmtMs(f.toMs) }), el('td', { text: f.label }), el('td', { text: f.error || '' })));
      fl.append(t);
    }
  }

  function renderLogs() {
    const box = $('log-view');
    const L = D.logs;
    if (!L) { box.append(el('p', { class: 'muted', text: 'The servers\' data directories were not there to read (Apache ZooKeeper in docker, or moved without them): no log view.' })); return; }
    box.append(el('p', null, L.totalZxids + ' zxids logged; ' + L.marked + ' not on every server or logged differently (marked). ',
      L.elided ? 'Only marked rows and their neighbours are shown (' + L.rows.length + ' rows). ' : '',
      L.incomplete.length ? 'Logs not read in full (absences there prove nothing): ' + L.incomplete.join(', ') + '. ' : '',
      el('span', { class: 'muted', text: 'Grey: before that server\'s first logged zxid (a SNAP sync or a purge), not missing. Click a row with a client op to find it in the timeline.' })));
    const only = el('input', { type: 'checkbox', id: 'log-only-marked' });
    only.checked = L.marked > 0;
    const table = el('table', { class: 'logs' });
    const more = el('button', { text: 'show more' });
    let limit = 500;
    const draw = () => {
      table.textContent = '';
      table.append(el('tr', null, el('th', { text: 'zxid' }), ...L.nodes.map((n) => el('th', { text: n })), el('th', { text: 'client op' })));
      let shown = 0; let left = 0;
      for (const r of L.rows) {
        if (only.checked && r.mark === '') continue;
        if (shown >= limit) { left++; continue; }
        shown++;
        const tr = el('tr', { class: (r.mark || '') + (r.op !== undefined ? ' clickable' : '') }, el('td', { text: r.zxid }),
          ...r.cells.map((c) => el('td', { class: c === null ? 'before' : c === '' ? 'absent' : '', text: c === null ? '(before log)' : c === '' ? 'missing' : c })),
          el('td', { text: r.op !== undefined ? str(O.f[r.op]) + ' ' + STATUS[O.status[r.op]] + ' (process ' + O.process[r.op] + ')' : '' }));
        if (r.op !== undefined) tr.addEventListener('click', () => selectOp(r.op, true));
        table.append(tr);
      }
      more.style.display = left > 0 ? '' : 'none';
      more.textContent = 'show more (' + left + ' left)';
    };
    only.addEventListener('change', draw);
    more.addEventListener('click', () => { limit += 2000; draw(); });
    box.append(el('label', null, only, ' only txns not on every server'), table, more);
    draw();
  }

  renderSummary();
  renderLogs();
  renderTimeline();
  renderFindings();
  legend();
  window.addEventListener('resize', redraw);
  redraw();
  state.ready = true;
})();
