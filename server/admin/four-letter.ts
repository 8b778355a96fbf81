// renderFourLetterWord: the exact text ZooKeeper 3.8 writes back for a
// four-letter word (the server then closes the connection). Pure: commands
// with side effects (crst, srst, stmk) only render their reply; the caller
// resets its counters or stores the new trace mask itself.

import { renderConf } from './render-conf.ts';
import { renderDump } from './render-dump.ts';
import { renderEnvi } from './environment.ts';
import { hex64 } from './java-format.ts';
import { renderMntr } from './render-mntr.ts';
import { renderCons, renderStat } from './render-stats.ts';
import { renderWatches, renderWatchSummary } from './render-watches.ts';
import type { ServerSnapshot } from './snapshot.ts';
import { isFourLetterWord, isWhitelisted, TELNET_CLOSE, type FourLetterWord } from './words.ts';

/** AbstractFourLetterCommand.ZK_NOT_SERVING. */
export const ZK_NOT_SERVING = 'This ZooKeeper instance is not currently serving requests';

/** ZooKeeper's default text trace mask (ZooTrace), shown by gtmk. */
export const DEFAULT_TRACE_MASK = 306;

export function notWhitelistedText(word: string): string {
  return `${word} is not executed because it is not in the whitelist.\n`;
}

type Render = (s: ServerSnapshot) => string;

/** Commands that answer ZK_NOT_SERVING (with a line end) while the server is not running. */
const SERVING_ONLY: Partial<Record<FourLetterWord, Render>> = {
  stat: (s) => renderStat(s, true),
  srvr: (s) => renderStat(s, false),
  cons: renderCons,
  conf: (s) => renderConf(s.conf),
  dump: renderDump,
  wchs: renderWatchSummary,
  wchc: (s) => renderWatches(s, false),
  wchp: (s) => renderWatches(s, true),
  mntr: renderMntr,
  dirs: (s) => `datadir_size: ${s.conf.dataDirSizeBytes}\nlogdir_size: ${s.conf.dataLogSizeBytes}\n`,
  crst: () => 'Connection stats reset.\n',
  srst: () => 'Server stats reset.\n',
};

/** Commands that answer whatever the server's state. */
const ALWAYS: Partial<Record<FourLetterWord, Render>> = {
  ruok: () => 'imok',
  envi: (s) => renderEnvi(s.version, s.environment),
  gtmk: (s) => String(s.traceMask ?? DEFAULT_TRACE_MASK),
  stmk: (s) => String(s.traceMask ?? DEFAULT_TRACE_MASK),
  isro: (s) => (!s.serving ? 'null' : s.mode === 'read-only' ? 'ro' : 'rw'),
  hash: (s) => (!s.serving ? ZK_NOT_SERVING
    : (s.digestLog ?? []).map((d) => `${hex64(d.zxid)}: ${d.digest}\n`).join('')),
};

/**
 * The reply to a four-letter word, or undefined when `word` is not a command
 * (the caller then treats the four bytes as a normal frame length, as
 * ZooKeeper does; this includes a whitelisted "telnet close").
 */
export function renderFourLetterWord(word: string, snapshot: ServerSnapshot, whitelist: ReadonlySet<string>): string | undefined {
  if (!isFourLetterWord(word) && word !== TELNET_CLOSE) return undefined;
  if (!isWhitelisted(word, whitelist)) return notWhitelistedText(word);
  if (!isFourLetterWord(word)) return undefined;
  const always = ALWAYS[word];
  if (always !== undefined) return always(snapshot);
  const servingOnly = SERVING_ONLY[word];
  if (servingOnly === undefined) throw new Error(`four-letter word ${word} has no renderer`);
  return snapshot.serving ? servingOnly(snapshot) : `${ZK_NOT_SERVING}\n`;
}
