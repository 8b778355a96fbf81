// `envi` (EnvCommand, Environment.list) with Node.js standing in for the JVM:
// the keys keep ZooKeeper's order; java.* become node.*. Pure: the caller
// collects the values (os, process) and passes them in.

export interface NodeEnvironment {
  readonly hostName: string;
  readonly nodeVersion: string;
  readonly execPath: string;
  readonly tmpDir: string;
  readonly osName: string;
  readonly osArch: string;
  readonly osVersion: string;
  readonly userName: string;
  readonly userHome: string;
  readonly userDir: string;
  readonly memoryFreeBytes: number;
  readonly memoryMaxBytes: number;
  readonly memoryTotalBytes: number;
}

const mb = (bytes: number): string => `${Math.floor(bytes / (1024 * 1024))}MB`;

/** The lines `envi` prints after zookeeper.version, in ZooKeeper's order. */
export function environmentEntries(e: NodeEnvironment): [string, string][] {
  return [
    ['host.name', e.hostName],
    ['node.version', e.nodeVersion],
    ['node.execPath', e.execPath],
    ['os.tmpdir', e.tmpDir],
    ['os.name', e.osName],
    ['os.arch', e.osArch],
    ['os.version', e.osVersion],
    ['user.name', e.userName],
    ['user.home', e.userHome],
    ['user.dir', e.userDir],
    ['os.memory.free', mb(e.memoryFreeBytes)],
    ['os.memory.max', mb(e.memoryMaxBytes)],
    ['os.memory.total', mb(e.memoryTotalBytes)],
  ];
}

/** `envi`. */
export function renderEnvi(version: string, entries: readonly (readonly [string, string])[]): string {
  return 'Environment:\n' + `zookeeper.version=${version}\n` + entries.map(([k, v]) => `${k}=${v}\n`).join('');
}
