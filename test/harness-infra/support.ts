// What the harness-infrastructure integration tests need from the machine,
// each with the reason it is missing (test/support/skip.ts skips with it, or
// fails under CI=true), plus polling with a deadline.
import { existsSync } from 'node:fs';
import { available, unavailable, type Availability } from '../support/skip.ts';
import { targetUnavailableReason } from '../../harness/cluster/targets.ts';
import { LIBFAKETIME } from '../../harness/cluster/node-db.ts';
import { netnsUnavailableReason } from '../../harness/net/netns.ts';
import { dockerUnavailableReason } from '../../harness/cluster/docker-runtime.ts';
import type { TargetName } from '../../harness/cluster/types.ts';

export function targetAvailability(name: TargetName): Availability {
  const why = targetUnavailableReason(name);
  return why === undefined ? available : unavailable(why);
}

export function faketimeAvailability(): Availability {
  return existsSync(LIBFAKETIME) ? available : unavailable(`${LIBFAKETIME} missing (Debian package faketime)`);
}

export async function netnsAvailability(): Promise<Availability> {
  const why = await netnsUnavailableReason();
  return why === undefined ? available : unavailable(why);
}

export async function dockerAvailability(): Promise<Availability> {
  const why = await dockerUnavailableReason();
  return why === undefined ? available : unavailable(why);
}

/** Every availability ok, or the first reason. */
export function all(...checks: Availability[]): Availability {
  return checks.find((c) => !c.ok) ?? available;
}

/** Polls `probe` until it returns something other than undefined, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
