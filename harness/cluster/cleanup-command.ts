// `zooproof cleanup`: removes what a harness that was SIGKILLed (or lost its
// machine) left behind: network namespaces with the processes still in them,
// containers, libfaketime files, lazyfs mounts. Only items tagged with a harness pid that is
// no longer alive are touched. `run` and `cluster` do the same at start.
import { newProgram } from '../cli.ts';
import { reachableDocker, sweepLeftovers } from './leftovers.ts';

export async function cleanupCommand(args: string[]): Promise<number> {
  const program = newProgram('cleanup')
    .description('remove namespaces, containers, libfaketime files and lazyfs mounts left by a harness that died without cleaning up')
    .option('--dry-run', 'list what would be removed, remove nothing');
  program.parse(args, { from: 'user' });
  const { dryRun } = program.opts<{ dryRun?: boolean }>();
  const lines = await sweepLeftovers(await reachableDocker(), dryRun ?? false);
  for (const line of lines) process.stdout.write(`${line}\n`);
  if (lines.length === 0) process.stdout.write('nothing left behind by an earlier harness\n');
  return lines.some((l) => l.startsWith('could not')) ? 1 : 0;
}

/** At the start of a run: sweep quietly, saying only what was removed. Containers only for the docker runtime. */
export async function sweepBeforeRun(withDocker: boolean, log: (line: string) => void): Promise<void> {
  const docker = withDocker ? await reachableDocker() : null;
  for (const line of await sweepLeftovers(docker)) log(`leftover of an earlier harness: ${line}`);
}
