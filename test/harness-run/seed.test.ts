// The same seed gives the same fault schedule (and the same planned schedule
// in the history's metadata); another seed gives another.
import { afterAll, expect, it } from 'vitest';
import type { History } from '../../harness/history/types.ts';
import { describeIfAvailable } from '../support/skip.ts';
import { runZooproof, targetAvailability, tempOut } from './support.ts';

const faultOps = (h: History) => h.events.filter((e) => e.process === 'nemesis' && e.type === 'invoke').map((e) => [e.f, e.value]);

describeIfAvailable('zooproof run: seeds and fault schedules', targetAvailability('reference'), () => {
  const out = tempOut();
  afterAll(() => out.remove());
  const run = (seed: string) => runZooproof('register', { nodes: '3', nemesis: 'kill,pause,partition', nemesisInterval: '1', timeLimit: '8', seed }, out.dir);

  it('the same seed gives the same schedule; another seed another', async () => {
    const a = await run('77');
    const b = await run('77');
    const c = await run('78');
    for (const r of [a, b, c]) expect(r.results.harnessError, r.output).toBeUndefined();
    expect(a.history.meta.faultSchedule).toEqual(b.history.meta.faultSchedule);
    expect(c.history.meta.faultSchedule).not.toEqual(a.history.meta.faultSchedule);
    const [x, y] = [faultOps(a.history), faultOps(b.history)];
    const common = Math.min(x.length, y.length);
    expect(common).toBeGreaterThanOrEqual(5);
    // The heal at the end is the same too, but a run whose faults drifted may have one fault fewer before it.
    expect(x.slice(0, common - 3)).toEqual(y.slice(0, common - 3));
    expect(faultOps(c.history).slice(0, 4)).not.toEqual(x.slice(0, 4));
  }, 240_000);
});
