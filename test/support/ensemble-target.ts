// A 3-voter ensemble as a conformance target: the suite's clients talk to a
// follower (found with `srvr`), so reads are local and writes are forwarded
// to the leader, as for most clients of a real ensemble.
import { join } from 'node:path';
import { Ensemble, ensembleAvailability, type EnsembleKind } from './ensemble.ts';
import { LOOPBACK } from './ports.ts';
import type { Availability } from './skip.ts';
import type { Target, TargetName } from './target.ts';
import type { TargetOptions } from './zoo-cfg.ts';

export type EnsembleTargetName = Extract<TargetName, 'zooproof-ensemble' | 'apache-ensemble'>;

const KIND_OF: Record<EnsembleTargetName, EnsembleKind> = { 'zooproof-ensemble': 'zooproof', 'apache-ensemble': 'apache' };
const VOTERS = 3;
const ELECTION_TIMEOUT_MS = 30_000;

export function isEnsembleTarget(name: TargetName): name is EnsembleTargetName {
  return name in KIND_OF;
}

export function ensembleTargetAvailability(name: EnsembleTargetName): Availability {
  return ensembleAvailability(KIND_OF[name]);
}

export async function startEnsembleTarget(name: EnsembleTargetName, opts: TargetOptions): Promise<Target> {
  const ensemble = await Ensemble.start(KIND_OF[name], { ...opts, voters: VOTERS });
  try {
    await ensemble.waitForLeader(ELECTION_TIMEOUT_MS);
    const follower = await ensemble.memberIn('follower');
    return {
      name, host: LOOPBACK, port: follower.clientPort, connectString: `${LOOPBACK}:${follower.clientPort}`,
      dataDir: join(follower.dir, 'data'), options: opts, mode: 'follower',
      stop: () => ensemble.stop(),
      async restart() {
        await follower.process?.stop();
        await ensemble.restart(follower);
      },
      kill: () => ensemble.kill(follower),
      logTail: () => ensemble.logTails(),
    };
  } catch (err) {
    await ensemble.stop();
    throw err;
  }
}
