// Four-letter words on the client port: the word is recognised from a fresh
// connection's first four bytes; the text comes from the admin renderers.
import { fourLetterWordOf, renderFourLetterWord } from '../admin/index.ts';
import { NO_PLANTED_BUGS, type PlantedBugSet } from '../bugs/catalog.ts';
import type { ZooConfig } from '../config/types.ts';
import type { ZooKeeperServer } from '../core/zk-server.ts';
import { takeSnapshot, type QuorumView } from './server-snapshot.ts';

export function fourLetterText(code: number, zk: ZooKeeperServer, config: ZooConfig, port: number, startedMs: number,
  quorum: QuorumView | null = null, plantedBugs: PlantedBugSet = NO_PLANTED_BUGS): string | undefined {
  const word = fourLetterWordOf(code);
  if (word === undefined) return undefined;
  // ruok: "imok" only while the server runs; one that failed for good (and is exiting) does not answer.
  // (A LOOKING peer still says imok, as Apache ZooKeeper 3.8 does; srvr tells it is not serving.)
  if (word === 'ruok' && zk.hasFailed) return '';
  return renderFourLetterWord(word, takeSnapshot(zk, config, port, startedMs, quorum, plantedBugs), config.fourLetterWordWhitelist);
}
