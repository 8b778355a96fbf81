// The four-letter words ZooKeeper 3.8 knows (FourLetterCommands), how a
// connection's first four bytes are recognised as one, and the whitelist
// (4lw.commands.whitelist) exactly as FourLetterCommands.isEnabled builds it. Pure.

/** Every word ZooKeeper 3.8 recognises, in its cmd2String order. */
export const FOUR_LETTER_WORDS = [
  'conf', 'cons', 'crst', 'dirs', 'dump', 'envi', 'gtmk', 'ruok', 'stmk', 'srst',
  'srvr', 'stat', 'wchc', 'wchp', 'wchs', 'mntr', 'isro', 'hash',
] as const;
export type FourLetterWord = (typeof FOUR_LETTER_WORDS)[number];

/** The telnet "interrupt process" sequence (IAC IP IAC DO), also a known command. */
export const TELNET_CLOSE = 'telnet close';
const TELNET_CLOSE_CODE = 0xfff4fffd | 0;

function codeOf(word: string): number {
  let code = 0;
  for (let i = 0; i < 4; i++) code = (code << 8) | word.charCodeAt(i);
  return code;
}

const byCode = new Map<number, string>([
  ...FOUR_LETTER_WORDS.map((w) => [codeOf(w), w] as const),
  [TELNET_CLOSE_CODE, TELNET_CLOSE],
]);

/**
 * The command named by a connection's first four bytes read as a big-endian
 * int32 (where a normal client sends its frame length), or undefined when the
 * bytes are not a command and the connection is a normal client.
 */
export function fourLetterWordOf(firstInt32: number): string | undefined {
  return byCode.get(firstInt32 | 0);
}

export function isFourLetterWord(word: string): word is FourLetterWord {
  return (FOUR_LETTER_WORDS as readonly string[]).includes(word);
}

/**
 * The enabled set from the `4lw.commands.whitelist` value (undefined = key
 * absent): a comma list, `*` for every command; `srvr` is always enabled and
 * `isro` too when read-only mode is on (zkServer.sh and clients rely on them).
 */
export function buildWhitelist(list: string | undefined, readOnlyModeEnabled: boolean): Set<string> {
  const enabled = new Set<string>();
  for (const item of (list ?? '').split(',')) {
    const word = item.trim();
    if (word === '*') {
      for (const w of byCode.values()) enabled.add(w);
      break;
    }
    if (word !== '') enabled.add(word);
  }
  if (readOnlyModeEnabled) enabled.add('isro');
  enabled.add('srvr');
  return enabled;
}

/** Words in a whitelist value that ZooKeeper does not know (for warnings). */
export function unknownWhitelistEntries(list: string): string[] {
  return list.split(',').map((s) => s.trim())
    .filter((w) => w !== '' && w !== '*' && !isFourLetterWord(w));
}

export function isWhitelisted(word: string, whitelist: ReadonlySet<string>): boolean {
  return whitelist.has(word);
}
