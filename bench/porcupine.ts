// `npm run bench:porcupine`: zooproof check against Porcupine v1.3.0 on
// Porcupine's own test data, side by side in one run:
//   1. all non-empty etcd histories (test_data/jepsen/*.log, 102 files) in ONE
//      call of each tool (cas-register; zooproof with its worker threads, and
//      with --jobs 1);
//   2. the 6 kv histories (test_data/kv/*.txt) in one call of each (kv model);
//   3. one small file in its own process, each tool: the smallest etcd file
//      (whose search is most of Porcupine's time) and the smallest kv file
//      (where start-up is);
//   0. start-up alone: `node -e 0` and `zooproof check --help`;
//   4. EDN parsing of the 102 etcd histories (converted to EDN), the current
//      reader against the one before the speed-up (read from git), in-process.
// Verdicts must match file by file; mismatches are listed. Wall times are the
// fastest of --repeat runs (default 3). Not a test: it asserts nothing.
//
// The Porcupine data and driver are NOT in this repository (licence, size):
//   PORCUPINE_DIR     a checkout of github.com/anishathalye/porcupine at v1.3.0
//                     (git clone … && git checkout v1.3.0; its test_data/ is used)
//   PORCUPINE_DRIVER  a Go program built against it that takes `etcd|kv <file>…`,
//                     checks each file with the etcd / kv model and parser of
//                     Porcupine's porcupine_test.go, and prints one line
//                     {"file":…,"verdict":"valid"|"invalid","ms":…} per file.
// Optional: KNOSSOS_DIR, a checkout of github.com/jepsen-io/knossos: its
// data/<model>/good and bad histories must check valid and invalid.
// With --bundle, zooproof is also timed from a one-off esbuild bundle
// (node_modules/.cache/zooproof-bench/), to show start-up without tsx.
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatEdnHistory, parseEdnHistory } from '../harness/history/edn.ts';
import { readEdnForms } from '../harness/history/edn-reader.ts';
import { parseHistory } from '../harness/history/read.ts';

const ROOT = resolve(import.meta.dirname, '..');
/** The last commit with the EDN reader before it was made fast. */
const EDN_BASELINE_COMMIT = '8ae4f02';

interface Run {
  wallMs: number;
  verdicts: Map<string, string>;
}

function arg(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) || fallback : fallback;
}

async function timed(cmd: string, args: string[], parse: (stdout: string) => Map<string, string>): Promise<Run> {
  const started = performance.now();
  const r = await execa(cmd, args, { reject: false, cwd: ROOT, maxBuffer: 1 << 28 });
  const wallMs = performance.now() - started;
  if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')}… exited ${r.exitCode}: ${r.stderr.slice(0, 400)}`);
  return { wallMs, verdicts: parse(r.stdout) };
}

async function fastest(times: number, run: () => Promise<Run>): Promise<Run> {
  let best: Run | undefined;
  for (let i = 0; i < times; i++) {
    const r = await run();
    if (best === undefined || r.wallMs < best.wallMs) best = r;
  }
  return best!;
}

function jsonLines(stdout: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const j = JSON.parse(line) as { file?: string; verdict?: string };
    if (j.file !== undefined && j.verdict !== undefined) m.set(resolve(ROOT, j.file), j.verdict);
  }
  return m;
}

function mismatches(a: Run, b: Run, files: string[]): string[] {
  return files.filter((f) => a.verdicts.get(f) !== b.verdicts.get(f)).map((f) => `${f}: porcupine ${b.verdicts.get(f)}, zooproof ${a.verdicts.get(f)}`);
}

/** A one-off bundle of the CLI and the check worker, inside node_modules so packages resolve. */
async function bundle(): Promise<string> {
  const out = join(ROOT, 'node_modules/.cache/zooproof-bench');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'entry.ts'), `import { main } from '${ROOT}/harness/cli.ts';\nprocess.exitCode = await main(process.argv.slice(2));\n`);
  await execa(join(ROOT, 'node_modules/.bin/esbuild'), [join(out, 'entry.ts'), join(ROOT, 'harness/checker/check-worker.ts'), '--bundle', '--platform=node',
    '--format=esm', '--splitting', '--packages=external', `--outdir=${out}`, '--entry-names=[name]', '--log-level=error'], { cwd: ROOT });
  return join(out, 'entry.js');
}

type Tool = { name: string; cmd: string; args: string[] };

async function compare(label: string, files: string[], porcupine: Tool, zooproof: Tool[], repeat: number): Promise<void> {
  const theirs = await fastest(repeat, () => timed(porcupine.cmd, [...porcupine.args, ...files], jsonLines));
  process.stdout.write(`\n${label}: ${files.length} file(s), fastest of ${repeat}\n`);
  process.stdout.write(`  ${'porcupine'.padEnd(34)} ${theirs.wallMs.toFixed(0).padStart(6)} ms wall\n`);
  for (const z of zooproof) {
    const ours = await fastest(repeat, () => timed(z.cmd, [...z.args, ...files], jsonLines));
    const bad = mismatches(ours, theirs, files);
    const same = bad.length === 0 && ours.verdicts.size === files.length ? 'same verdicts' : `${bad.length} MISMATCH(ES)`;
    process.stdout.write(`  ${z.name.padEnd(34)} ${ours.wallMs.toFixed(0).padStart(6)} ms wall  ratio ${(ours.wallMs / theirs.wallMs).toFixed(2)}x  ${same}\n`);
    for (const m of bad.slice(0, 10)) process.stdout.write(`    ${m}\n`);
  }
}

/** Parses every text `rounds` times with each reader, alternating, in this process; returns the fastest total of each. */
async function ednParse(texts: string[], rounds: number): Promise<{ baselineMs: number; currentMs: number } | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'zooproof-edn-baseline-'));
  try {
    const old = await execa('git', ['show', `${EDN_BASELINE_COMMIT}:harness/history/edn-reader.ts`], { cwd: ROOT, reject: false });
    if (old.exitCode !== 0) return undefined;
    const file = join(dir, 'edn-reader-baseline.ts');
    writeFileSync(file, old.stdout.replaceAll("from './", `from '${ROOT}/harness/history/`));
    const baseline = (await import(file)) as { readEdnForms: typeof readEdnForms };
    const time = (read: typeof readEdnForms) => {
      const t = performance.now();
      for (const x of texts) read(x);
      return performance.now() - t;
    };
    let baselineMs = Infinity, currentMs = Infinity;
    for (let i = 0; i < rounds; i++) {
      baselineMs = Math.min(baselineMs, time(baseline.readEdnForms));
      currentMs = Math.min(currentMs, time(readEdnForms));
    }
    return { baselineMs, currentMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * With KNOSSOS_DIR (a checkout of github.com/jepsen-io/knossos): every history
 * under data/<model>/{good,bad}/ must be valid / invalid (multi-register's
 * file starts from x=0, y=0, as its first line says). One call per folder.
 */
async function knossos(dir: string): Promise<void> {
  process.stdout.write(`\nKnossos' own data (${dir}/data): expected verdict by folder\n`);
  const initial: Record<string, string[]> = { 'multi-register': ['--initial-value', '{"x":0,"y":0}'] };
  for (const model of readdirSync(join(dir, 'data')).sort()) {
    for (const kind of ['good', 'bad']) {
      const folder = join(dir, 'data', model, kind);
      if (!existsSync(folder)) continue;
      const files = readdirSync(folder).filter((f) => f.endsWith('.edn')).sort().map((f) => join(folder, f));
      if (files.length === 0) continue;
      const r = await timed(process.execPath, [join(ROOT, 'bin/zooproof.mjs'), 'check', '--json', '--model', model, ...(initial[model] ?? []), ...files], jsonLines);
      const want = kind === 'good' ? 'valid' : 'invalid';
      const wrong = files.filter((f) => r.verdicts.get(f) !== want);
      process.stdout.write(`  ${`${model}/${kind}`.padEnd(24)} ${String(files.length).padStart(4)} files ${r.wallMs.toFixed(0).padStart(6)} ms wall  ${wrong.length === 0 ? `all ${want}` : `${wrong.length} NOT ${want}`}\n`);
      for (const f of wrong.slice(0, 5)) process.stdout.write(`    ${f}: ${r.verdicts.get(f)}\n`);
    }
  }
}

async function main(argv: string[]): Promise<void> {
  const dir = process.env.PORCUPINE_DIR, driver = process.env.PORCUPINE_DRIVER;
  if (!dir || !driver || !existsSync(join(dir, 'test_data/jepsen')) || !existsSync(driver)) {
    process.stderr.write('bench:porcupine needs PORCUPINE_DIR (porcupine v1.3.0 checkout) and PORCUPINE_DRIVER (see the header of bench/porcupine.ts)\n');
    process.exitCode = 2;
    return;
  }
  const repeat = arg(argv, '--repeat', 3);
  const jepsen = join(dir, 'test_data/jepsen'), kvDir = join(dir, 'test_data/kv');
  const etcd = readdirSync(jepsen).filter((f) => f.endsWith('.log')).sort().map((f) => join(jepsen, f)).filter((f) => statSync(f).size > 0);
  const kv = readdirSync(kvDir).filter((f) => f.endsWith('.txt')).sort().map((f) => join(kvDir, f));
  const small = etcd.reduce((a, b) => (statSync(b).size < statSync(a).size ? b : a));
  const tsx = [join(ROOT, 'bin/zooproof.mjs'), 'check', '--json'];
  const bundled = argv.includes('--bundle') ? [await bundle(), 'check', '--json'] : undefined;
  const zooproof = (model: string, jobs: boolean): Tool[] => [
    { name: `zooproof (tsx${jobs ? ', worker threads' : ''})`, cmd: process.execPath, args: [...tsx, '--model', model] },
    ...(jobs ? [{ name: 'zooproof (tsx, --jobs 1)', cmd: process.execPath, args: [...tsx, '--model', model, '--jobs', '1'] }] : []),
    ...(bundled ? [{ name: `zooproof (bundle${jobs ? ', worker threads' : ''})`, cmd: process.execPath, args: [...bundled, '--model', model] },
      ...(jobs ? [{ name: 'zooproof (bundle, --jobs 1)', cmd: process.execPath, args: [...bundled, '--model', model, '--jobs', '1'] }] : [])] : []),
  ];
  process.stdout.write(`zooproof check against Porcupine v1.3.0 (${driver}), data ${dir}\n`);
  const startup = async (name: string, cmd: string, args: string[]) => {
    const r = await fastest(Math.max(repeat, 5), () => timed(cmd, args, () => new Map()));
    process.stdout.write(`  start-up: ${name.padEnd(32)} ${r.wallMs.toFixed(0).padStart(6)} ms wall\n`);
  };
  await startup('node -e 0', process.execPath, ['-e', '0']);
  await startup('zooproof check --help (tsx)', process.execPath, [join(ROOT, 'bin/zooproof.mjs'), 'check', '--help']);
  if (bundled) await startup('zooproof check --help (bundle)', process.execPath, [bundled[0]!, 'check', '--help']);
  await compare('etcd histories, one call', etcd, { name: 'porcupine', cmd: driver, args: ['etcd'] }, zooproof('cas-register', true), repeat);
  await compare('kv histories, one call', kv, { name: 'porcupine', cmd: driver, args: ['kv'] }, zooproof('kv', true), repeat);
  await compare(`smallest etcd file (${small.split('/').pop()}), own process`, [small], { name: 'porcupine', cmd: driver, args: ['etcd'] }, zooproof('cas-register', false), Math.max(repeat, 5));
  await compare(`smallest kv file (${kv[0]!.split('/').pop()}), own process`, [kv[0]!], { name: 'porcupine', cmd: driver, args: ['kv'] }, zooproof('kv', false), Math.max(repeat, 5));
  if (process.env.KNOSSOS_DIR) await knossos(process.env.KNOSSOS_DIR);
  const texts = etcd.map((f) => formatEdnHistory(parseHistory(f, readFileSync(f, 'utf8'))));
  for (const t of texts) parseEdnHistory(t); // the EDN we time is well-formed
  const edn = await ednParse(texts, Math.max(repeat, 5));
  if (edn === undefined) process.stdout.write('\nEDN parse: skipped (git cannot show the baseline reader)\n');
  else {
    process.stdout.write(`\nEDN parse of the ${texts.length} etcd histories as EDN (${(texts.reduce((n, t) => n + t.length, 0) / 2 ** 20).toFixed(1)} MB), in-process, fastest of ${Math.max(repeat, 5)}:\n`);
    process.stdout.write(`  reader at ${EDN_BASELINE_COMMIT} ${edn.baselineMs.toFixed(0)} ms, now ${edn.currentMs.toFixed(0)} ms: ${(edn.baselineMs / edn.currentMs).toFixed(2)}x faster\n`);
  }
}

await main(process.argv.slice(2));
