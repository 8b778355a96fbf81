// loadConfig: the only file here that touches the file system. Reads zoo.cfg
// (ISO-8859-1, as Properties.load), checks dataDir / dataLogDir, reads
// dataDir/myid, and leaves every rule to the pure modules.

import { readFile, stat } from 'node:fs/promises';
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
  const myidPath = join(parsed.dataDir, 'myid');
  const config = applyMyid(parsed, await readMyid(myidPath), myidPath);
  return { config, warnings: [...config.warnings, ...relativePathWarnings(relative)] };
}
