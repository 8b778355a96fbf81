// loadConfig: the only file here that touches the file system. Reads zoo.cfg
// (ISO-8859-1, as Properties.load), checks dataDir / dataLogDir, reads
// dataDir/myid, and leaves every rule to the pure modules.

import { lookup } from 'node:dns/promises';
import { access, constants, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError, ConfigErrorCode } from './errors.ts';
import { applyMyid } from './myid.ts';
import type { ZooConfig } from './types.ts';
import { parseZooCfg } from './zoo-cfg.ts';

function errnoOf(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : String(e);
}

async function checkDirectory(fileName: string, key: string, dir: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(dir)).isDirectory();
  } catch (e) {
    const problem = errnoOf(e) === 'ENOENT' ? 'does not exist' : `cannot be read (${errnoOf(e)})`;
    throw new ConfigError(ConfigErrorCode.DATA_DIR, `${fileName}: ${key} ${dir} ${problem}`, key);
  }
  if (!isDirectory) throw new ConfigError(ConfigErrorCode.DATA_DIR, `${fileName}: ${key} ${dir} is not a directory`, key);
}

const ERRNO_TEXT: Record<string, string> = {
  EACCES: 'permission denied', EPERM: 'operation not permitted', EROFS: 'read-only file system',
};

function errnoText(e: unknown): string {
  const code = errnoOf(e);
  return ERRNO_TEXT[code] !== undefined ? `${code}: ${ERRNO_TEXT[code]}` : code;
}

/**
 * The server must list, create and write files in `dir` (and in its
 * version-2 subdirectory when there is one), as ZooKeeper's FileTxnSnapLog
 * checks (`Cannot write to data directory`): a read-only mount (EROFS) or a
 * directory without permission (EACCES) is refused here, naming the errno.
 */
async function checkWritable(fileName: string, key: string, dir: string): Promise<void> {
  for (const path of [dir, join(dir, 'version-2')]) {
    if (path !== dir && !(await stat(path).then((st) => st.isDirectory(), () => false))) continue;
    try {
      await access(path, constants.R_OK | constants.X_OK);
    } catch (e) {
      throw new ConfigError(ConfigErrorCode.DATA_DIR, `${fileName}: ${key} ${path} cannot be read (${errnoText(e)})`, key);
    }
    try {
      await access(path, constants.W_OK);
    } catch (e) {
      throw new ConfigError(ConfigErrorCode.DATA_DIR, `${fileName}: ${key} ${path} cannot be written (${errnoText(e)})`, key);
    }
  }
}

/** As ZooKeeper resolves clientPortAddress when it reads the config: an address that does not resolve is refused before any file is touched. */
async function checkClientAddress(config: ZooConfig): Promise<void> {
  const host = config.clientPortAddress;
  if (host === undefined) return;
  try {
    await lookup(host);
  } catch (e) {
    throw new ConfigError(ConfigErrorCode.BAD_VALUE,
      `${config.fileName}: clientPortAddress ${host} does not resolve to an address (${errnoOf(e)})`, 'clientPortAddress');
  }
}

/** The myid file's text, or undefined when it does not exist (as ZooKeeper: !isFile()). */
async function readMyid(myidPath: string): Promise<string | undefined> {
  try {
    if (!(await stat(myidPath)).isFile()) return undefined;
    return await readFile(myidPath, 'latin1');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw new ConfigError(ConfigErrorCode.MYID, `${myidPath}: cannot be read (${errnoOf(e)})`);
  }
}

function relativePathWarnings(config: ZooConfig): string[] {
  return (['dataDir', 'dataLogDir'] as const)
    .filter((key) => !isAbsolute(config[key]))
    .map((key) => `${config.fileName}: ${key} ${config[key]} is relative (resolved from ${process.cwd()})`);
}

/**
 * Reads and validates zoo.cfg and dataDir/myid; dataDir and dataLogDir come
 * back absolute (a relative one is resolved from the working directory, as
 * ZooKeeper does, with a warning). Throws ConfigError.
 */
export async function loadConfig(path: string): Promise<{ config: ZooConfig; warnings: string[] }> {
  let text: string;
  try {
    text = await readFile(path, 'latin1');
  } catch (e) {
    throw new ConfigError(ConfigErrorCode.UNREADABLE, `${path}: cannot read the configuration file (${errnoOf(e)})`);
  }
  const relative = parseZooCfg(text, path);
  const parsed = { ...relative, dataDir: resolve(relative.dataDir), dataLogDir: resolve(relative.dataLogDir) };
  await checkDirectory(path, 'dataDir', parsed.dataDir);
  if (parsed.dataLogDir !== parsed.dataDir) await checkDirectory(path, 'dataLogDir', parsed.dataLogDir);
  await checkWritable(path, 'dataDir', parsed.dataDir);
  if (parsed.dataLogDir !== parsed.dataDir) await checkWritable(path, 'dataLogDir', parsed.dataLogDir);
  const myidPath = join(parsed.dataDir, 'myid');
  const config = applyMyid(parsed, await readMyid(myidPath), myidPath);
  await checkClientAddress(config);
  return { config, warnings: [...config.warnings, ...relativePathWarnings(relative)] };
}
