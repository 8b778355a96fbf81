// CPU time of server processes (Linux /proc): user + system time of every
// thread, so a benchmark can report CPU per operation, which is far less
// sensitive than ops/s to other load on a shared machine.
import { readFileSync } from 'node:fs';

/** USER_HZ: /proc/<pid>/stat counts clock ticks of 1/100 s on Linux. */
const TICKS_PER_S = 100;

/** utime + stime (fields 14 and 15) of /proc/<pid>/stat text, in ms; the command name may hold spaces. */
export function parseStatCpuMs(statText: string): number {
  const fields = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`unreadable /proc stat line: ${statText.slice(0, 80)}`);
  return (ticks * 1000) / TICKS_PER_S;
}

/** Total CPU ms of the processes, or undefined where /proc cannot be read (not Linux, process gone). */
export function cpuMsOf(pids: readonly number[]): number | undefined {
  try {
    return pids.reduce((sum, pid) => sum + parseStatCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8')), 0);
  } catch {
    return undefined;
  }
}
