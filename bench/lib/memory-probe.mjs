// Loaded into a `zooproof server` child by the churn benchmark, with
// NODE_OPTIONS=--import=<this file> and ZOOPROOF_MEMORY_PROBE=<file>. On
// SIGUSR2 it reads <file>.req ("sample <n>" or "gc <n>"), runs a full GC for
// "gc", and writes process.memoryUsage() with the peak heap seen so far to
// <file>. Nothing else in the server changes. Not for production use.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const out = process.env.ZOOPROOF_MEMORY_PROBE;
const SAMPLE_INTERVAL_MS = 200;

if (out) {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const peak = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  const track = () => {
    const m = process.memoryUsage();
    for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k]);
    return m;
  };
  setInterval(track, SAMPLE_INTERVAL_MS).unref();
  process.on('SIGUSR2', () => {
    let request = '';
    try { request = readFileSync(`${out}.req`, 'utf8').trim(); } catch { return; }
    const [kind, seq] = request.split(' ');
    if (kind === 'gc') { gc(); gc(); }
    const now = track();
    writeFileSync(`${out}.tmp`, JSON.stringify({ seq: Number(seq), pid: process.pid, now, peak }));
    renameSync(`${out}.tmp`, out);
  });
}
