// Memory of a server process as the churn benchmark reports it: RSS and peak
// RSS from /proc/<pid>/status, plus the managed heap: V8's through
// memory-probe.mjs (loaded into the zooproof child), the JVM's through jcmd.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface MemorySample {
  rssBytes: number;
  /** Peak RSS since the process started (VmHWM). */
  peakRssBytes: number;
  /** Live managed heap (V8 heapUsed, or the JVM's used generations). */
  heapUsedBytes?: number;
  /** Peak V8 heapUsed, sampled every 200 ms by the probe. */
  peakHeapUsedBytes?: number;
  /** Node only: ArrayBuffer / Buffer memory, outside the V8 heap (socket chunks, frames, znode data). */
  arrayBuffersBytes?: number;
  peakArrayBuffersBytes?: number;
}

/** VmRSS and VmHWM (kB in the file) of a /proc/<pid>/status text, in bytes. Pure. */
export function parseProcStatus(text: string): { rssBytes: number; peakRssBytes: number } {
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(text);
    if (!m) throw new Error(`/proc status has no ${key} line`);
    return Number(m[1]) * 1024;
  };
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}

/** The used bytes of every generation / region in `jcmd <pid> GC.heap_info` output (Metaspace excluded). Pure. */
export function parseJavaHeapInfo(text: string): number {
  let used = 0;
  let found = false;
  for (const m of text.matchAll(/^\s*(?!Metaspace|class space)[\w ]+?\s+total \d+K, used (\d+)K/gm)) {
    used += Number(m[1]) * 1024;
    found = true;
  }
  if (!found) throw new Error(`no heap usage in jcmd output: ${text.slice(0, 200)}`);
  return used;
}

export function procMemory(pid: number): { rssBytes: number; peakRssBytes: number } {
  return parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asks memory-probe.mjs inside a node server for its heap figures (after a full GC when `gc`). */
export class NodeProbe {
  private seq = 0;

  constructor(private readonly file: string, private readonly pid: number) {}

  async sample(gc: boolean, timeoutMs = 10_000): Promise<MemorySample> {
    const seq = ++this.seq;
    writeFileSync(`${this.file}.req`, `${gc ? 'gc' : 'sample'} ${seq}`);
    process.kill(this.pid, 'SIGUSR2');
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (existsSync(this.file)) {
        const answer = JSON.parse(readFileSync(this.file, 'utf8')) as {
          seq: number; now: NodeJS.MemoryUsage; peak: { heapUsed: number; arrayBuffers: number };
        };
        if (answer.seq === seq) {
          return { ...procMemory(this.pid), heapUsedBytes: answer.now.heapUsed, peakHeapUsedBytes: answer.peak.heapUsed,
            arrayBuffersBytes: answer.now.arrayBuffers, peakArrayBuffersBytes: answer.peak.arrayBuffers };
        }
      }
      await sleep(20);
    }
    throw new Error(`memory probe in pid ${this.pid} did not answer within ${timeoutMs} ms (is NODE_OPTIONS passed?)`);
  }
}

/** A JVM's RSS and used heap; `gc` first runs a full collection (jcmd GC.run). */
export async function javaSample(pid: number, gc: boolean): Promise<MemorySample> {
  if (gc) await run('jcmd', [String(pid), 'GC.run']);
  const { stdout } = await run('jcmd', [String(pid), 'GC.heap_info']);
  return { ...procMemory(pid), heapUsedBytes: parseJavaHeapInfo(stdout) };
}
