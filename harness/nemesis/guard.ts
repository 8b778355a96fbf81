// Turns a nemesis action's exception into a completion: a bad op or an
// unsupported fault certainly did nothing (`fail`); anything else may have
// been partly applied (`info`).
import { InfraError } from '../cluster/errors.ts';
import type { NemesisCompletion } from './types.ts';

export async function guarded(action: () => Promise<NemesisCompletion>): Promise<NemesisCompletion> {
  try {
    return await action();
  } catch (err) {
    if (err instanceof RangeError) return { type: 'fail', value: null, error: `BAD_ARGUMENT: ${err.message}` };
    if (err instanceof InfraError && (err.code === 'BAD_ARGUMENT' || err.code === 'UNSUPPORTED')) {
      return { type: 'fail', value: null, error: `${err.code}: ${err.message}` };
    }
    const message = err instanceof Error ? err.message : String(err);
    return { type: 'info', value: null, error: `${err instanceof InfraError ? err.code : 'ERROR'}: ${message}` };
  }
}
