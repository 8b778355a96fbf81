// Decides, every so often, whether a search may go on: past the deadline or
// over the memory bound, it stops with the reason.
import type { Budget, ExhaustedReason } from '../types.ts';

export class BudgetGuard {
  constructor(private readonly budget: Budget) {}

  /** The reason to stop now, or null. `memoBytes` is the search's own estimate. */
  exhausted(memoBytes: number): ExhaustedReason | null {
    if (this.budget.now() > this.budget.deadlineMs) return 'timeout';
    if (memoBytes > this.budget.maxMemoryBytes) return 'memory';
    const probe = this.budget.memoryUsedBytes;
    if (probe !== undefined && probe() > this.budget.maxMemoryBytes) return 'memory';
    return null;
  }
}
