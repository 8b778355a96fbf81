// Typed errors for histories that cannot be read. `line` is 1-based in the file.

/**
 * MALFORMED_LINE, BAD_SEQUENCE, BAD_EDN: the file breaks the format.
 * TOO_DEEP: a value nests deeper than MAX_NESTING_DEPTH. BAD_BYTES: bytes
 * that cannot be kept exactly (see bytes.ts). UNREADABLE: no such file, etc.
 */
export type HistoryErrorCode = 'MALFORMED_LINE' | 'BAD_SEQUENCE' | 'BAD_EDN' | 'TOO_DEEP' | 'BAD_BYTES' | 'UNREADABLE';

export class HistoryFormatError extends Error {
  constructor(
    readonly code: HistoryErrorCode,
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'HistoryFormatError';
  }
}

/** Reading stopped because the time or memory budget ran out: no verdict (`unknown`), not a bad file. */
export class HistoryBudgetError extends Error {
  readonly code = 'LOAD_BUDGET';
  constructor(
    readonly reason: 'timeout' | 'memory',
    readonly bytesRead: number,
    readonly sizeBytes: number,
    readonly memoryUsedBytes?: number,
  ) {
    const mb = (n: number) => (n / 2 ** 20).toFixed(1);
    const at = `after ${mb(bytesRead)} of ${mb(sizeBytes)} MB read`;
    super(reason === 'timeout' ? `time budget exhausted while loading the history (${at})`
      : `memory budget exhausted while loading the history (${at}${memoryUsedBytes === undefined ? '' : `, ${mb(memoryUsedBytes)} MB in use`})`);
    this.name = 'HistoryBudgetError';
  }
}
