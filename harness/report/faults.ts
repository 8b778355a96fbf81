// Fault intervals for the report's shaded bands, from the nemesis ops of a
// history (pure). A fault opens at the invoke of its starting op and closes at
// the invoke of the op that undoes it (start-X / stop-X, kill / start,
// pause / resume, a clock change / reset-clock); an op that undoes nothing is
// an instant. A fault still open at the end runs to the end of the history.
import type { Operation } from '../history/types.ts';

export interface FaultBand {
  fromMs: number;
  /** null: an instant (a marker, not a band). */
  toMs: number | null;
  f: string;
  label: string;
  error?: string;
}

const CLOCK_FS = new Set(['bump-clock', 'strobe-clock', 'clock-rate']);

/** The f that ends a fault opened by `f`, or undefined when `f` opens nothing. */
function closerOf(f: string): string | undefined {
  if (f.startsWith('start-')) return `stop-${f.slice('start-'.length)}`;
  if (f === 'kill') return 'start';
  if (f === 'pause') return 'resume';
  if (CLOCK_FS.has(f)) return 'reset-clock';
  return undefined;
}

function isCloser(f: string): boolean {
  return f.startsWith('stop-') || f === 'start' || f === 'resume' || f === 'reset-clock' || f === 'restarted';
}

function labelOf(op: Operation): string {
  const v = op.input;
  if (v === null || v === undefined) return op.f;
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return `${op.f} ${text.length > 80 ? `${text.slice(0, 80)}…` : text}`;
}

export function faultBands(operations: readonly Operation[], endMs: number): FaultBand[] {
  const bands: FaultBand[] = [];
  const open = new Map<string, FaultBand[]>();
  for (const op of operations) {
    if (op.process !== 'nemesis') continue;
    const t = op.invokeTimeNs / 1e6;
    const closer = closerOf(op.f);
    const err = op.error !== undefined ? { error: op.error } : {};
    if (closer !== undefined) {
      const band: FaultBand = { fromMs: t, toMs: endMs, f: op.f, label: labelOf(op), ...err };
      bands.push(band);
      (open.get(closer) ?? open.set(closer, []).get(closer)!).push(band);
      continue;
    }
    const waiting = open.get(op.f);
    if (waiting && waiting.length > 0) {
      for (const b of waiting) b.toMs = t;
      open.set(op.f, []);
      continue;
    }
    if (!isCloser(op.f) || op.error !== undefined) bands.push({ fromMs: t, toMs: null, f: op.f, label: labelOf(op), ...err });
  }
  return bands;
}
