// ZooDefs.OpCode, reserved xids, watcher enums, create modes and permissions.

export const OpCode = {
  notification: 0,
  create: 1,
  delete: 2,
  exists: 3,
  getData: 4,
  setData: 5,
  getACL: 6,
  setACL: 7,
  getChildren: 8,
  sync: 9,
  ping: 11,
  getChildren2: 12,
  check: 13,
  multi: 14,
  create2: 15,
  reconfig: 16,
  checkWatches: 17,
  removeWatches: 18,
  createContainer: 19,
  deleteContainer: 20,
  createTTL: 21,
  multiRead: 22,
  auth: 100,
  setWatches: 101,
  sasl: 102,
  getEphemerals: 103,
  getAllChildrenNumber: 104,
  setWatches2: 105,
  addWatch: 106,
  whoAmI: 107,
  createSession: -10,
  closeSession: -11,
  error: -1,
} as const;
export type OpCodeName = keyof typeof OpCode;

const opNames = new Map<number, OpCodeName>(
  Object.entries(OpCode).map(([name, code]) => [code, name as OpCodeName]),
);

export function opName(code: number): string {
  return opNames.get(code) ?? `unknown(${code})`;
}

/** Reserved xids (ClientCnxn). */
export const Xid = {
  notification: -1,
  ping: -2,
  auth: -4,
  setWatches: -8,
} as const;

export const EventType = {
  None: -1,
  NodeCreated: 1,
  NodeDeleted: 2,
  NodeDataChanged: 3,
  NodeChildrenChanged: 4,
  DataWatchRemoved: 5,
  ChildWatchRemoved: 6,
  PersistentWatchRemoved: 7,
} as const;

export const KeeperState = {
  Unknown: -1,
  Disconnected: 0,
  NoSyncConnected: 1,
  SyncConnected: 3,
  AuthFailed: 4,
  ConnectedReadOnly: 5,
  SaslAuthenticated: 6,
  Expired: -112,
  Closed: 7,
} as const;

/** WatcherType for checkWatches / removeWatches. */
export const WatcherType = {
  Children: 1,
  Data: 2,
  Any: 3,
  Persistent: 4,
  PersistentRecursive: 5,
} as const;

export const AddWatchMode = {
  persistent: 0,
  persistentRecursive: 1,
} as const;

export const CreateMode = {
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4,
  PERSISTENT_WITH_TTL: 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
} as const;

export interface CreateModeInfo {
  ephemeral: boolean;
  sequential: boolean;
  container: boolean;
  ttl: boolean;
}

export function createModeInfo(flags: number): CreateModeInfo | null {
  switch (flags) {
    case 0: return { ephemeral: false, sequential: false, container: false, ttl: false };
    case 1: return { ephemeral: true, sequential: false, container: false, ttl: false };
    case 2: return { ephemeral: false, sequential: true, container: false, ttl: false };
    case 3: return { ephemeral: true, sequential: true, container: false, ttl: false };
    case 4: return { ephemeral: false, sequential: false, container: true, ttl: false };
    case 5: return { ephemeral: false, sequential: false, container: false, ttl: true };
    case 6: return { ephemeral: false, sequential: true, container: false, ttl: true };
    default: return null;
  }
}

export const Perms = {
  READ: 1,
  WRITE: 2,
  CREATE: 4,
  DELETE: 8,
  ADMIN: 16,
  ALL: 31,
} as const;

/** Four-letter words: the first 4 bytes of a fresh connection read as a big-endian int. */
export const FourLetterWords = ['ruok', 'srvr', 'stat', 'mntr', 'conf', 'cons', 'dump', 'wchs', 'envi', 'isro',
  'crst', 'dirs', 'gtmk', 'stmk', 'srst', 'wchc', 'wchp', 'hash'] as const;
export type FourLetterWord = typeof FourLetterWords[number];

export function fourLetterCode(word: string): number {
  let v = 0;
  for (let i = 0; i < 4; i++) v = (v << 8) | (word.charCodeAt(i) & 0xff);
  return v;
}

const fourLetterByCode = new Map<number, FourLetterWord>(FourLetterWords.map((w) => [fourLetterCode(w), w]));

export function fourLetterWordOf(code: number): FourLetterWord | undefined {
  return fourLetterByCode.get(code);
}
