// Configuration errors: one class, stable string codes, one-line messages
// that name the file, the key and the bad value (the caller prints them).

export const ConfigErrorCode = {
  /** A java.util.Properties syntax error (malformed \uXXXX escape). */
  SYNTAX: 'SYNTAX',
  /** A value that should be a number is not one (or is out of range). */
  NOT_A_NUMBER: 'NOT_A_NUMBER',
  /** A boolean key whose value is neither true nor false. */
  NOT_A_BOOLEAN: 'NOT_A_BOOLEAN',
  /** A value of the right type that ZooKeeper refuses (electionAlg=1, peerType=x). */
  BAD_VALUE: 'BAD_VALUE',
  /** A required key is missing (dataDir, tickTime, initLimit, ...). */
  MISSING: 'MISSING',
  /** Two keys that contradict each other (min > max session timeout, ...). */
  CONFLICT: 'CONFLICT',
  /** A malformed server.N line. */
  BAD_SERVER: 'BAD_SERVER',
  /** A server list ZooKeeper refuses (observers without participants, ...). */
  BAD_QUORUM: 'BAD_QUORUM',
  /** Two server lines (or two ports of one line) use the same host and port. */
  DUPLICATE_PORT: 'DUPLICATE_PORT',
  /** A feature this server does not implement and cannot safely ignore. */
  UNSUPPORTED: 'UNSUPPORTED',
  /** dataDir/myid is missing, unreadable, not a number or not in the server list. */
  MYID: 'MYID',
  /** dataDir (or dataLogDir) does not exist or is not a directory. */
  DATA_DIR: 'DATA_DIR',
  /** The configuration file itself cannot be read. */
  UNREADABLE: 'UNREADABLE',
} as const;
export type ConfigErrorCode = (typeof ConfigErrorCode)[keyof typeof ConfigErrorCode];

export class ConfigError extends Error {
  constructor(
    readonly code: ConfigErrorCode,
    message: string,
    readonly key?: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** `zoo.cfg: tickTime: "abc" is not a number` */
export function keyError(
  code: ConfigErrorCode, fileName: string, key: string, value: string, problem: string,
): ConfigError {
  return new ConfigError(code, `${fileName}: ${key}: ${JSON.stringify(value)} ${problem}`, key);
}

/** `zoo.cfg: dataDir is not set` */
export function fileError(code: ConfigErrorCode, fileName: string, message: string, key?: string): ConfigError {
  return new ConfigError(code, `${fileName}: ${message}`, key);
}
