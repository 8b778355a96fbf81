// Typed errors for histories that cannot be read. `line` is 1-based in the file.

export type HistoryErrorCode = 'MALFORMED_LINE' | 'BAD_SEQUENCE' | 'BAD_EDN' | 'UNREADABLE';

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
