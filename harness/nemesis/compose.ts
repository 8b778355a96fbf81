// Several nemeses as one: each op goes to the nemesis that names its `f`.
// Teardown runs every member's teardown, even when one fails.
import type { Nemesis, NemesisCompletion, NemesisOp } from './types.ts';

export function composeNemeses(members: readonly Nemesis[]): Nemesis {
  const byF = new Map<string, Nemesis>();
  for (const m of members) {
    for (const f of m.fs) {
      if (byF.has(f)) throw new RangeError(`two nemeses perform '${f}'`);
      byF.set(f, m);
    }
  }
  return {
    fs: [...byF.keys()],
    async setup(ctx) {
      for (const m of members) await m.setup(ctx);
    },
    async invoke(op: NemesisOp): Promise<NemesisCompletion> {
      const m = byF.get(op.f);
      if (m === undefined) return { type: 'fail', value: null, error: `BAD_ARGUMENT: no nemesis performs '${op.f}' (known: ${[...byF.keys()].join(', ')})` };
      return m.invoke(op);
    },
    async teardown() {
      const errors: unknown[] = [];
      for (const m of [...members].reverse()) {
        try {
          await m.teardown();
        } catch (err) {
          errors.push(err);
        }
      }
      if (errors.length > 0) throw new AggregateError(errors, `${errors.length} nemesis teardown(s) failed`);
    },
  };
}
