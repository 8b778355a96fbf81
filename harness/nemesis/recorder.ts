// Every nemesis action goes into the history with its start and its end: an
// `invoke` event when it begins and the completion (ok / fail / info) when it
// is done, both with process `nemesis` and the run's monotonic time. The run
// loop's interpreter records them itself; this wrapper is for everything
// else (a nemesis driven directly, the final heal at teardown).
import type { NewEvent } from '../history/writer.ts';
import type { Nemesis, NemesisCompletion, NemesisOp } from './types.ts';

export type Record = (e: NewEvent) => void;

export function recordedNemesis(inner: Nemesis, record: Record, nowNs: () => number): Nemesis {
  const invoke = async (op: NemesisOp): Promise<NemesisCompletion> => {
    record({ process: 'nemesis', type: 'invoke', f: op.f, value: op.value ?? null, time: nowNs() });
    const completion = await inner.invoke(op);
    const end: NewEvent = { process: 'nemesis', type: completion.type, f: op.f, value: completion.value ?? null, time: nowNs() };
    if (completion.error !== undefined) end.error = completion.error;
    record(end);
    return completion;
  };
  return {
    fs: inner.fs,
    setup: (ctx) => inner.setup(ctx),
    invoke,
    async teardown() {
      record({ process: 'nemesis', type: 'invoke', f: 'teardown', value: null, time: nowNs() });
      try {
        await inner.teardown();
        record({ process: 'nemesis', type: 'ok', f: 'teardown', value: null, time: nowNs() });
      } catch (err) {
        record({ process: 'nemesis', type: 'info', f: 'teardown', value: null, time: nowNs(), error: String(err) });
        throw err;
      }
    },
  };
}
