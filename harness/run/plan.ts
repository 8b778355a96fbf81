// The run's generator, from its options (pure): the workload's ops at the
// requested rate beside the fault schedule for the time limit; then heal
// every fault; a quiet pause; the workload's final phase. The schedule is
// either the random one (`nemesis`: kinds in a random order) or the named
// fault packages (`faults`, harness/generator/packages.ts). Also the fault
// schedule planned up front (for the history's metadata and the summary).
import { clients, nemesis, once } from '../generator/core.ts';
import { any, phases } from '../generator/compose.ts';
import { packageSchedule } from '../generator/package-schedule.ts';
import { packageHeals, type HealKind } from '../generator/packages.ts';
import { faultSchedule, healAll, planSchedule, type PlannedFault } from '../generator/schedule.ts';
import { rate, sleep, timeLimit } from '../generator/time.ts';
import type { FaultKind } from '../generator/faults.ts';
import type { Generator } from '../generator/types.ts';
import type { Workload } from '../workload/types.ts';
import type { RunOptions } from './options.ts';

/** Seconds of quiet after healing, before the final phase (nodes rejoin, sessions settle). */
export const QUIESCE_S = 3;
/** Seconds the clients keep going after the time limit, while and after the faults heal. */
export const RECOVERY_S = 10;
const NS_PER_S = 1e9;

export type PlanOptions = Pick<RunOptions, 'timeLimitS' | 'rate' | 'nemesis' | 'nemesisIntervalS'>
  & Partial<Pick<RunOptions, 'faults' | 'sessionTimeoutMs'>>;

const DEFAULT_SESSION_TIMEOUT_MS = 6000;

function schedule(o: PlanOptions, nodes: readonly string[]): Generator {
  const intervalNs = o.nemesisIntervalS * NS_PER_S;
  const faults = o.faults ?? [];
  const gen = faults.length > 0
    ? packageSchedule({ packages: faults, nodes, intervalNs, sessionTimeoutMs: o.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS })
    : faultSchedule({ faults: o.nemesis, nodes, intervalNs });
  return timeLimit(o.timeLimitS * NS_PER_S, gen);
}

/** What the final heal must undo. */
export function healedKinds(o: PlanOptions): HealKind[] {
  return [...new Set([...o.nemesis, ...packageHeals(o.faults ?? [])])];
}

/** The final heal: every fault kind in heal order, then held clients released. */
function finalHeal(heals: readonly HealKind[], nodes: readonly string[]): Generator {
  const kinds = heals.filter((k): k is FaultKind => k !== 'client-hold' && k !== 'link-fault');
  const extra = [...(heals.includes('link-fault') ? [once({ f: 'stop-link-fault', value: null })] : []),
    ...(heals.includes('client-hold') ? [once({ f: 'stop-client-hold', value: null })] : [])];
  return extra.length > 0 ? phases(healAll(kinds, nodes), ...extra) : healAll(kinds, nodes);
}

export function runGenerator(o: PlanOptions, workload: Workload, nodes: readonly string[]): Generator {
  const final = workload.final?.();
  const heals = healedKinds(o);
  // The clients go on for RECOVERY_S after the time limit while the nemesis heals, so the
  // availability check sees whether writes come back (and on which servers).
  const clientS = o.timeLimitS + (heals.length > 0 ? RECOVERY_S : 0);
  const main = any(
    nemesis(phases(schedule(o, nodes), finalHeal(heals, nodes))),
    clients(timeLimit(clientS * NS_PER_S, rate(o.rate, workload.generator()))));
  return phases(
    main,
    sleep(heals.length > 0 ? QUIESCE_S * NS_PER_S : 0),
    ...(final ? [clients(final)] : []));
}

/** The faults the run will inject and when (ns from the start), known before it starts. */
export function plannedFaults(o: PlanOptions, nodes: readonly string[], seed: number): PlannedFault[] {
  return planSchedule(nemesis(schedule(o, nodes)), seed, o.timeLimitS * NS_PER_S);
}
