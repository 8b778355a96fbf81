// Each workload once with every nemesis (kill, pause, partition, clock, disk)
// on a 3-node reference ensemble: the schedule brings every enabled fault
// kind once per round, so a short run with a short interval sees them all.
import { afterAll, expect, it } from 'vitest';
import { describeIfAvailable } from '../support/skip.ts';
import { both, faketimeAvailability, runZooproof, START_FS, targetAvailability, tempOut } from './support.ts';

const NEMESES = ['kill', 'pause', 'partition', 'clock', 'disk'];
export const RUN_TIMEOUT_MS = 150_000;

export function workloadMatrix(workloads: readonly string[]): void {
  describeIfAvailable(`zooproof run: ${workloads.join(', ')} with every nemesis on 3 reference nodes`,
    both(targetAvailability('reference'), faketimeAvailability()), () => {
      const out = tempOut();
      afterAll(() => out.remove());
      for (const [i, workload] of workloads.entries()) {
        it(`${workload}: valid under ${NEMESES.join(', ')}`, async () => {
          const run = await runZooproof(workload, {
            nodes: '3', nemesis: NEMESES.join(','), nemesisInterval: '0.8', timeLimit: '18', rate: '30', concurrency: '4', seed: String(100 + i),
          }, out.dir);
          expect(run.results.harnessError, run.output).toBeUndefined();
          const started = run.results.faultsRun.map((f) => f.f);
          for (const kind of NEMESES) expect(started, `${kind} never started:\n${run.output}`).toContain(START_FS[kind]);
          expect(run.results.faultsRun.filter((f) => f.error !== undefined), run.output).toEqual([]);
          expect(run.results.counts.ok, run.output).toBeGreaterThan(10);
          expect(run.results.checkers.map((c) => c.checker)).toContain('convergence');
          expect(run.results.verdict, run.output).toBe('valid');
          expect(run.exitCode).toBe(0);
          expect(run.history.meta).toMatchObject({ seed: 100 + i, workload });
          expect((run.history.meta.faultSchedule as unknown[]).length).toBeGreaterThanOrEqual(NEMESES.length);
        }, RUN_TIMEOUT_MS);
      }
    });
}
