// harness/nemesis: one fault per file, composed into the run's nemesis.
export * from './types.ts';
export { composeNemeses } from './compose.ts';
export { recordedNemesis } from './recorder.ts';
export { clusterContext } from './context.ts';
export { partitionNemesis, grudgeFor, PARTITION_KINDS } from './partition.ts';
export { killNemesis } from './kill.ts';
export { pauseNemesis } from './pause.ts';
export { clockNemesis } from './clock.ts';
export { diskNemesis } from './disk.ts';
export { linkNemesis } from './link.ts';
export { holdClientsNemesis } from './hold-clients.ts';
export { epochWatchNemesis } from './epoch-watch.ts';
export { chooseTargets, resolveTargets, TARGET_SPECS, type TargetSpec } from './targets.ts';
export { outboundCut } from './partition.ts';

import { composeNemeses } from './compose.ts';
import { partitionNemesis } from './partition.ts';
import { killNemesis } from './kill.ts';
import { pauseNemesis } from './pause.ts';
import { clockNemesis } from './clock.ts';
import { diskNemesis } from './disk.ts';
import { linkNemesis } from './link.ts';
import { holdClientsNemesis } from './hold-clients.ts';
import { epochWatchNemesis } from './epoch-watch.ts';
import type { Nemesis } from './types.ts';

/** Every nemesis, composed: the full op vocabulary of harness/README.md. */
export function fullNemesis(): Nemesis {
  return composeNemeses([partitionNemesis(), killNemesis(), pauseNemesis(), clockNemesis(), diskNemesis(), linkNemesis(), holdClientsNemesis(), epochWatchNemesis()]);
}
