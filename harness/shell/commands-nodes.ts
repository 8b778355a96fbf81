// zkCli's node commands: create, ls, get, set, delete, deleteall, stat.
import { Code } from '../../server/wire/index.ts';
import { isZooKeeperError, OPEN_ACL_UNSAFE, type CreateModeName, type ZooKeeperClient } from '../../client/index.ts';
import { CliError, type CommandContext } from './context.ts';
import { call, checkPath } from './errors.ts';
import { javaList, parseAcl, statLines } from './format.ts';
import type { ParsedArgs } from './options.ts';

const utf8 = new TextDecoder();
const lines = (ls: string[]) => ls.map((l) => `${l}\n`).join('');

function createMode(p: ParsedArgs): CreateModeName {
  const [e, s, c, t] = ['e', 's', 'c'].map((f) => p.flags.has(f)).concat(p.values.has('t')) as boolean[];
  if (c && (e || s)) {
    throw new CliError('-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.');
  }
  if (t && e) throw new CliError('TTLs cannot be used with Ephemeral znodes');
  if (t && c) throw new CliError('TTLs cannot be used with Container znodes');
  if (e) return s ? 'EPHEMERAL_SEQUENTIAL' : 'EPHEMERAL';
  if (s) return t ? 'PERSISTENT_SEQUENTIAL_WITH_TTL' : 'PERSISTENT_SEQUENTIAL';
  if (c) return 'CONTAINER';
  return t ? 'PERSISTENT_WITH_TTL' : 'PERSISTENT';
}

export async function create({ zk, io }: CommandContext, p: ParsedArgs): Promise<void> {
  const mode = createMode(p);
  const ttlText = p.values.get('t');
  const ttlMs = ttlText === undefined ? undefined : Number(ttlText);
  if (ttlMs !== undefined && !Number.isInteger(ttlMs)) throw new CliError('-t argument must be a long value');
  const [, path, data, aclText] = p.args as [string, string, string?, string?];
  checkPath(path, mode.includes('SEQUENTIAL'));
  const acl = aclText === undefined ? OPEN_ACL_UNSAFE : parseAcl(aclText, (l) => io.err(`${l}\n`));
  try {
    const created = await zk.create(path, data ?? null, { mode, acl, ...(ttlMs !== undefined ? { ttlMs } : {}) });
    io.err(`Created ${created.path}\n`);
  } catch (e) {
    if (isZooKeeperError(e) && e.code === Code.INVALIDACL) io.err(`KeeperErrorCode = InvalidACL for ${path}\n`);
    await call(() => Promise.reject(e));
  }
}

export async function ls(ctx: CommandContext, p: ParsedArgs): Promise<void> {
  const { zk, io, watcher } = ctx;
  if (p.args.length > 2) {
    io.err("'ls path [watch]' has been deprecated. Please use 'ls [-w] path' instead.\n");
    p.flags.add('w');
  }
  const path = p.args[1]!;
  checkPath(path);
  const watch = p.flags.has('w') ? { watch: watcher } : {};
  if (p.flags.has('R')) {
    await call(() => zk.getData(path, watch));
    io.out(`${path}\n`);
    await listRecursive(ctx, path, p.flags.has('w'));
    return;
  }
  const { children, stat } = await call(() => zk.getChildren2(path, watch));
  io.out(`${javaList([...children].sort())}\n`);
  if (p.flags.has('s')) io.out(lines(statLines(stat)));
}

/** Children of each node printed before descending into them (zkCli's visitSubTreeDFS). */
async function listRecursive({ zk, io, watcher }: CommandContext, path: string, watch: boolean): Promise<void> {
  const pending = [path];
  while (pending.length > 0) {
    const node = pending.pop()!;
    let children: string[];
    try {
      children = [...(await zk.getChildren(node, watch ? { watch: watcher } : {})).children].sort();
    } catch (e) {
      if (isZooKeeperError(e) && e.code === Code.NONODE) continue;
      throw e;
    }
    const paths = children.map((c) => (node === '/' ? `/${c}` : `${node}/${c}`));
    for (const child of paths) io.out(`${child}\n`);
    for (const p of paths.reverse()) pending.push(p); // a wide node may exceed a call's argument limit
  }
}

export async function get({ zk, io, watcher }: CommandContext, p: ParsedArgs): Promise<void> {
  if (p.args.length > 2) {
    io.err("'get path [watch]' has been deprecated. Please use 'get [-s] [-w] path' instead.\n");
    p.flags.add('w');
  }
  const path = p.args[1]!;
  checkPath(path);
  const { data, stat } = await call(() => zk.getData(path, p.flags.has('w') ? { watch: watcher } : {}));
  io.out(`${data === null ? 'null' : utf8.decode(data)}\n`);
  if (p.flags.has('s')) io.out(lines(statLines(stat)));
}

function versionOf(p: ParsedArgs): number {
  const text = p.values.get('v');
  if (text === undefined) return -1;
  const v = Number(text);
  if (!/^-?[0-9]+$/.test(text) || v < -(2 ** 31) || v >= 2 ** 31) {
    throw new CliError(`java.lang.NumberFormatException: For input string: "${text}"`);
  }
  return v;
}

export async function set({ zk, io }: CommandContext, p: ParsedArgs): Promise<void> {
  const [, path, data] = p.args as [string, string, string];
  checkPath(path);
  const { stat } = await call(() => zk.setData(path, data, versionOf(p)));
  if (p.flags.has('s')) io.out(lines(statLines(stat)));
}

export async function del({ zk }: CommandContext, p: ParsedArgs): Promise<void> {
  const path = p.args[1]!;
  checkPath(path);
  const version = versionOf(p);
  await call(() => zk.delete(path, version));
}

export async function stat({ zk, io, watcher }: CommandContext, p: ParsedArgs): Promise<void> {
  const path = p.args[1]!;
  checkPath(path);
  const result = await call(() => zk.exists(path, p.flags.has('w') ? { watch: watcher } : {}));
  if (result.stat === null) throw new CliError(`Node does not exist: ${path}`);
  io.out(lines(statLines(result.stat)));
}

/** Every path of the subtree, breadth first (zkCli's listSubTreeBFS). */
async function subtree(zk: ZooKeeperClient, root: string): Promise<string[]> {
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    const node = tree[i]!;
    const { children } = await call(() => zk.getChildren(node));
    for (const c of children) tree.push(node === '/' ? `/${c}` : `${node}/${c}`);
  }
  return tree;
}

export async function deleteall({ zk, io }: CommandContext, p: ParsedArgs): Promise<void> {
  const batchText = p.values.get('b');
  const batch = batchText === undefined ? 1000 : Number(batchText);
  if (!Number.isInteger(batch) || batch <= 0) throw new CliError('-b argument must be an int value');
  const path = p.args[1]!;
  checkPath(path);
  const tree = await subtree(zk, path);
  let ok = true;
  for (let end = tree.length; end > 0 && ok; end -= batch) {
    const ops = tree.slice(Math.max(0, end - batch), end).reverse().map((node) => ({ op: 'delete' as const, path: node }));
    ok = await zk.multi(ops).then(() => true, () => false);
  }
  if (!ok) io.err('Failed to delete some node(s) in the subtree!\n');
}
