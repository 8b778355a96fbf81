// The register workload against Debian's Apache ZooKeeper 3.8: three JVMs
// behind the proxy mesh, partitions and kill -9.
import { afterAll, expect, it } from 'vitest';
import { describeIfAvailable } from '../support/skip.ts';
import { runZooproof, START_FS, targetAvailability, tempOut } from './support.ts';

describeIfAvailable('zooproof run register on Apache ZooKeeper 3.8 with partition and kill', targetAvailability('zookeeper'), () => {
  const out = tempOut();
  afterAll(() => out.remove());

  it('is linearizable and the servers converge', async () => {
    const run = await runZooproof('register', {
      target: 'zookeeper', nodes: '3', nemesis: 'partition,kill', nemesisInterval: '2', timeLimit: '20', rate: '40', seed: '31',
    }, out.dir);
    expect(run.results.harnessError, run.output).toBeUndefined();
    const started = run.results.faultsRun.map((f) => f.f);
    expect(started).toContain(START_FS.partition);
    expect(started).toContain(START_FS.kill);
    expect(run.results.faultsRun.filter((f) => f.error !== undefined), run.output).toEqual([]);
    expect(run.results.counts.byF.read!.ok, run.output).toBeGreaterThan(20);
    expect(run.results.counts.byF.write!.ok, run.output).toBeGreaterThan(10);
    const verdicts = Object.fromEntries(run.results.checkers.map((c) => [c.checker, c.verdict]));
    expect(verdicts, run.output).toMatchObject({ 'linearizable:cas-register': 'valid', convergence: 'valid', 'log-forensics': 'valid', 'sync-read': 'valid' });
    expect(run.results.checkers.filter((c) => c.verdict === 'invalid'), run.output).toEqual([]);
    expect(String((run.history.meta.versions as Record<string, string>).server)).toMatch(/^3\.8/);
    // 0 valid; 2 only if availability could not judge (a client with no write after the heal before the end).
    expect([0, 2], run.output).toContain(run.exitCode);
  }, 180_000);
});
