// zkCli's ACL, auth and information commands: getAcl, setAcl, addauth, sync,
// getEphemerals, getAllChildrenNumber, whoami.
import { CliError, type CommandContext } from './context.ts';
import { call, checkPath } from './errors.ts';
import { aclLines, javaList, parseAcl, statLines } from './format.ts';
import type { ParsedArgs } from './options.ts';

const lines = (ls: string[]) => ls.map((l) => `${l}\n`).join('');

export async function getAcl({ zk, io }: CommandContext, p: ParsedArgs): Promise<void> {
  const path = p.args[1]!;
  checkPath(path);
  const { acl, stat } = await call(() => zk.getACL(path));
  io.out(lines(aclLines(acl)));
  if (p.flags.has('s')) io.out(lines(statLines(stat)));
}

export async function setAcl({ zk, io }: CommandContext, p: ParsedArgs): Promise<void> {
  const [, path, aclText] = p.args as [string, string, string];
  checkPath(path);
  const acl = parseAcl(aclText, (l) => io.err(`${l}\n`));
  const versionText = p.values.get('v');
  const version = versionText === undefined ? -1 : Number(versionText);
  if (!Number.isInteger(version)) throw new CliError(`java.lang.NumberFormatException: For input string: "${versionText}"`);
  if (p.flags.has('R')) {
    await call(() => zk.getData(path));
    const pending = [path];
    while (pending.length > 0) {
      const node = pending.shift()!;
      await zk.setACL(node, acl, version).catch((e: unknown) => io.out(e instanceof Error ? e.message : String(e)));
      const children = await zk.getChildren(node).then((r) => [...r.children].sort(), () => []);
      for (const c of children) pending.push(node === '/' ? `/${c}` : `${node}/${c}`); // a wide node may exceed a call's argument limit
    }
    return;
  }
  const { stat } = await call(() => zk.setACL(path, acl, version));
  if (p.flags.has('s')) io.out(lines(statLines(stat)));
}

export async function addauth({ zk }: CommandContext, p: ParsedArgs): Promise<void> {
  const [, scheme, auth] = p.args as [string, string, string?];
  // zkCli does not wait for the server's answer; a bad credential ends the session later (AuthFailed).
  void zk.addAuthInfo(scheme, auth ?? new Uint8Array(0)).catch(() => {});
}

export async function sync({ zk, io }: CommandContext, p: ParsedArgs): Promise<void> {
  const path = p.args[1]!;
  checkPath(path);
  try {
    await zk.sync(path);
    io.out('Sync is OK\n');
  } catch (e) {
    const code = (e as { code?: number }).code;
    if (typeof code !== 'number') throw e;
    io.out(`Sync has failed. rc=${code}\n`);
  }
}

export async function getEphemerals({ zk, io }: CommandContext, p: ParsedArgs): Promise<void> {
  const path = p.args[1];
  if (path !== undefined) checkPath(path);
  const { paths } = await call(() => zk.getEphemerals(path ?? '/'));
  io.out(`${javaList(paths)}\n`);
}

export async function getAllChildrenNumber({ zk, io }: CommandContext, p: ParsedArgs): Promise<void> {
  const path = p.args[1]!;
  checkPath(path);
  const { totalNumber } = await call(() => zk.getAllChildrenNumber(path));
  io.out(`${totalNumber}\n`);
}

export async function whoami({ zk, io }: CommandContext): Promise<void> {
  const { clientInfo } = await call(() => zk.whoAmI());
  io.out('Auth scheme: User\n');
  io.out(clientInfo.map((c) => `${c.authScheme}: ${c.user}\n`).join(''));
}
