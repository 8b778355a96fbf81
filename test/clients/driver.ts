// Running an external client driver (a Python or Java program of ours) that
// prints one JSON object on stdout, and probing whether its runtime exists.
import { spawnSync } from 'node:child_process';
import { execa } from 'execa';
import { available, unavailable, type Availability } from '../support/skip.ts';

/** Each scenario's observations; `error` (+ `trace`) when the scenario raised. */
export type DriverReport = Record<string, Record<string, unknown>>;

export class DriverError extends Error {
  readonly code = 'DRIVER_FAILED';
}

/** Whether `command args...` exits 0 within `timeoutMs`; the reason names `what` otherwise. */
export function probeCommand(command: string, args: string[], what: string, timeoutMs = 20_000): Availability {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs });
  if (r.error) return unavailable(`${what}: ${r.error.message}`);
  if (r.status !== 0) return unavailable(`${what}: exit ${r.status}: ${(r.stderr ?? '').trim().slice(-300)}`);
  return available;
}

/** Runs the driver and parses the last stdout line as JSON; stderr is kept for failure messages. */
export async function runDriver(command: string, args: string[], timeoutMs: number): Promise<{ report: DriverReport; stderr: string }> {
  const r = await execa(command, args, { reject: false, timeout: timeoutMs, killSignal: 'SIGKILL', cleanup: true });
  const stderr = String(r.stderr ?? '');
  const lines = String(r.stdout ?? '').trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  if (r.exitCode !== 0 || !last.startsWith('{')) {
    const why = r.timedOut ? `timed out after ${timeoutMs} ms` : `exit ${r.exitCode}`;
    throw new DriverError(`${command} ${args.join(' ')}: ${why}\nstdout: ${String(r.stdout).slice(-2000)}\nstderr: ${stderr.slice(-3000)}`);
  }
  return { report: JSON.parse(last) as DriverReport, stderr };
}

/** One scenario's observations; fails with the driver's own error and trace if the scenario raised. */
export function scenario(report: DriverReport | undefined, name: string): Record<string, unknown> {
  if (report === undefined) throw new DriverError('driver did not run (see the beforeAll failure)');
  const obs = report[name];
  if (obs === undefined) throw new DriverError(`scenario ${name} missing from the driver's report`);
  if (typeof obs.error === 'string') throw new DriverError(`scenario ${name} raised: ${obs.error}\n${String(obs.trace ?? '')}`);
  return obs;
}
