// The end of a run: its HTML report beside results.json, and the index of
// every run under --out. A report that cannot be written is said on stderr
// and never changes the run's verdict or exit code.
import { readRunFiles, writeRunReport } from '../report/write.ts';
import { writeRunIndex } from '../report/run-index.ts';

export interface WrittenReports { report?: string; index?: string; errors: string[] }

export async function writeReports(runDir: string, outDir: string): Promise<WrittenReports> {
  const out: WrittenReports = { errors: [] };
  try {
    out.report = writeRunReport(runDir, await readRunFiles(runDir));
  } catch (err) {
    out.errors.push(`report: ${(err as Error).message}`);
  }
  try {
    writeRunIndex(outDir);
    out.index = `${outDir}/index.html`;
  } catch (err) {
    out.errors.push(`run index: ${(err as Error).message}`);
  }
  return out;
}
