// The acceptedEpoch / currentEpoch files (QuorumPeer): one decimal number in
// ASCII each, in `<dataDir>/version-2/`, written atomically like ZooKeeper's
// AtomicFileOutputStream (write `<name>.tmp`, fsync, rename, fsync the dir).
// loadEpochs applies QuorumPeer.loadDataBase's start-up rules.
import { joinPath, type Disk } from './disk.ts';
import { StorageError, invariant } from './errors.ts';
import { versionDir } from './file-names.ts';
import { hex } from './log-format.ts';

export const ACCEPTED_EPOCH_FILE = 'acceptedEpoch';
export const CURRENT_EPOCH_FILE = 'currentEpoch';
const TMP_SUFFIX = '.tmp';

export type EpochFile = typeof ACCEPTED_EPOCH_FILE | typeof CURRENT_EPOCH_FILE;

export interface Epochs {
  acceptedEpoch: number;
  currentEpoch: number;
  /** Files created or taken from a leftover .tmp, for the caller to log. */
  warnings: string[];
}

export function epochOfZxid(zxid: number): number {
  return Math.floor(zxid / 2 ** 32);
}

/** Writes an epoch file atomically; durable when the promise resolves. */
export async function writeEpoch(disk: Disk, dataDir: string, name: EpochFile, epoch: number): Promise<void> {
  invariant(Number.isSafeInteger(epoch) && epoch >= 0, `bad epoch ${epoch}`);
  const dir = versionDir(dataDir);
  await disk.mkdirp(dir);
  const path = joinPath(dir, name);
  const tmp = path + TMP_SUFFIX;
  if (await disk.exists(tmp)) await disk.truncate(tmp, 0);
  await disk.write(tmp, 0, new TextEncoder().encode(String(epoch)));
  await disk.fsync(tmp);
  await disk.rename(tmp, path);
  await disk.fsyncDir(dir);
}

/** The epoch in `name` (or `name.tmp` with tmp), or null if the file does not exist. */
export async function readEpoch(disk: Disk, dataDir: string, name: EpochFile, tmp = false): Promise<number | null> {
  const path = joinPath(versionDir(dataDir), tmp ? name + TMP_SUFFIX : name);
  if (!(await disk.exists(path))) return null;
  const text = new TextDecoder().decode(await disk.read(path)).trim();
  const epoch = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(epoch)) throw new StorageError('BAD_EPOCH', `${path} does not hold an epoch: ${JSON.stringify(text)}`);
  return epoch;
}

/**
 * Start-up rules (QuorumPeer.loadDataBase), given the last zxid recovered:
 * a missing file starts at the epoch of that zxid (and is written); a
 * currentEpoch older than that zxid's epoch is an error unless a leftover
 * currentEpoch.tmp supplies it; acceptedEpoch < currentEpoch is an error.
 */
export async function loadEpochs(disk: Disk, dataDir: string, lastProcessedZxid: number): Promise<Epochs> {
  const zxidEpoch = epochOfZxid(lastProcessedZxid);
  const warnings: string[] = [];
  let currentEpoch = await readEpoch(disk, dataDir, CURRENT_EPOCH_FILE);
  if (currentEpoch === null) {
    currentEpoch = zxidEpoch;
    await writeEpoch(disk, dataDir, CURRENT_EPOCH_FILE, currentEpoch);
    warnings.push(`${CURRENT_EPOCH_FILE} not found: created with ${currentEpoch}, the epoch of zxid ${hex(lastProcessedZxid)}`);
  }
  if (zxidEpoch > currentEpoch) {
    const fromTmp = await readEpoch(disk, dataDir, CURRENT_EPOCH_FILE, true);
    if (fromTmp === null) {
      throw new StorageError(
        'BAD_EPOCH',
        `the current epoch, ${currentEpoch}, is older than the last zxid, ${hex(lastProcessedZxid)}`,
      );
    }
    currentEpoch = fromTmp;
    await writeEpoch(disk, dataDir, CURRENT_EPOCH_FILE, currentEpoch);
    warnings.push(`${CURRENT_EPOCH_FILE}${TMP_SUFFIX} found: current epoch set to ${currentEpoch}`);
  }
  let acceptedEpoch = await readEpoch(disk, dataDir, ACCEPTED_EPOCH_FILE);
  if (acceptedEpoch === null) {
    acceptedEpoch = zxidEpoch;
    await writeEpoch(disk, dataDir, ACCEPTED_EPOCH_FILE, acceptedEpoch);
    warnings.push(`${ACCEPTED_EPOCH_FILE} not found: created with ${acceptedEpoch}, the epoch of zxid ${hex(lastProcessedZxid)}`);
  }
  if (acceptedEpoch < currentEpoch) {
    throw new StorageError('BAD_EPOCH', `the accepted epoch, ${acceptedEpoch}, is less than the current epoch, ${currentEpoch}`);
  }
  return { acceptedEpoch, currentEpoch, warnings };
}
