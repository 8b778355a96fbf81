// Four-letter words: recognition, whitelist, and ZooKeeper 3.8's reply texts.

export type {
  BufferSizes, ConfSnapshot, ConnectionSnapshot, EphemeralsSnapshot, LatencyStats, LeaderSnapshot,
  MemberSnapshot, QuorumSnapshot, ServerMode, ServerSnapshot, SessionSnapshot, WatchSnapshot, ZabState,
} from './snapshot.ts';
export { NO_BUFFER_SIZES, NO_LATENCY } from './snapshot.ts';
export {
  DEFAULT_TRACE_MASK, notWhitelistedText, renderFourLetterWord, ZK_NOT_SERVING,
} from './four-letter.ts';
export {
  buildWhitelist, FOUR_LETTER_WORDS, fourLetterWordOf, isFourLetterWord, isWhitelisted, TELNET_CLOSE,
  type FourLetterWord,
} from './words.ts';
export { confSnapshotOf, renderConf, type ConfMeasurements } from './render-conf.ts';
export { environmentEntries, type NodeEnvironment } from './environment.ts';
export { lastOpName } from './last-op.ts';
