// Checkers compose: several run on one history and their verdicts merge
// (invalid > unknown > valid). A checker that throws yields `unknown` with
// the error, never a crash.
import type { History } from '../history/types.ts';
import { pairOperations, type PairedHistory } from '../history/ops.ts';
import type { Budget, CheckResult, Verdict } from './types.ts';

/** A checked history: the raw events plus their invoke/completion pairing. */
export interface CheckInput extends PairedHistory {
  history: History;
}

export interface Checker {
  name: string;
  check(input: CheckInput, budget: Budget): CheckResult;
}

export function checkInput(history: History): CheckInput {
  return { history, ...pairOperations(history.events) };
}

const RANK: Record<Verdict, number> = { valid: 0, unknown: 1, invalid: 2 };

export function mergeVerdicts(verdicts: Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((acc, v) => (RANK[v] > RANK[acc] ? v : acc), 'valid');
}

export function safeCheck(checker: Checker, input: CheckInput, budget: Budget): CheckResult {
  try {
    return checker.check(input, budget);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { checker: checker.name, verdict: 'unknown', summary: `checker failed: ${why}`, details: { error: why } };
  }
}

/** Runs every checker; the merged result lists each one's result in `details.results`. */
export function compose(checkers: Checker[], input: CheckInput, budget: Budget): CheckResult {
  const results = checkers.map((c) => safeCheck(c, input, budget));
  if (results.length === 1) return results[0]!;
  const verdict = mergeVerdicts(results.map((r) => r.verdict));
  const worst = results.filter((r) => r.verdict === verdict && verdict !== 'valid');
  const summary = worst.length > 0
    ? worst.map((r) => `${r.checker}: ${r.summary}`).join('; ')
    : `all ${results.length} checkers valid`;
  return { checker: checkers.map((c) => c.name).join('+'), verdict, summary, details: { results } };
}
