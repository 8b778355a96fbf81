// Tab completion as zkCli's JLineZNodeCompleter: the word under the cursor
// completes to a command name, or, when it starts with '/', to a child of
// the znode it names so far.
export type ListChildren = (path: string) => Promise<string[]>;

/** [candidates, the text they replace] in readline's completer form. */
export async function complete(line: string, commands: readonly string[], listChildren: ListChildren):
  Promise<[string[], string]> {
  const token = line.endsWith(' ') || line === '' ? '' : line.split(' ').pop()!;
  if (!token.startsWith('/')) return [commands.filter((c) => c.startsWith(token)), token];
  const slash = token.lastIndexOf('/');
  const dir = slash === 0 ? '/' : token.slice(0, slash);
  const prefix = token.slice(slash + 1);
  let children: string[];
  try {
    children = await listChildren(dir);
  } catch {
    return [[], token];
  }
  const base = dir === '/' ? '/' : `${dir}/`;
  const matches = children.filter((c) => c.startsWith(prefix)).sort().map((c) => base + c);
  return [matches, token];
}
