// The client core runs in a simulator later: only the Node adapters and the
// composition root may touch Node, wall clocks, timers or Math.random.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const ADAPTERS = new Set(['node-transport.ts', 'node-clock.ts', 'index.ts']);
const FORBIDDEN: [RegExp, string][] = [
  [/from ['"](node:|net['"]|fs['"]|timers['"]|crypto['"])/, 'a Node import'],
  [/\bDate\.now\(/, 'Date.now'],
  [/\bMath\.random\(/, 'Math.random'],
  [/\bperformance\.now\(/, 'performance.now'],
  [/\b(setTimeout|setInterval|setImmediate)\(/, 'a real timer'],
  [/\bprocess\./, 'process'],
];

function coreFiles(): string[] {
  const top = readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !ADAPTERS.has(f));
  const testing = readdirSync(join(here, 'testing')).filter((f) => f.endsWith('.ts')).map((f) => join('testing', f));
  return [...top, ...testing];
}

describe('client core boundary', () => {
  it('keeps I/O, clocks and randomness out of the core modules', () => {
    const files = coreFiles();
    expect(files).toContain('session.ts');
    const offences = files.flatMap((f) => {
      const text = readFileSync(join(here, f), 'utf8');
      return FORBIDDEN.filter(([re]) => re.test(text)).map(([, what]) => `${f}: ${what}`);
    });
    expect(offences).toEqual([]);
  });
});
