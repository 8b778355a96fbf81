// SetWatches / SetWatches2 on reconnect: every watch path (chroot applied) and
// relativeZxid = lastZxidSeen, so the server fires what was missed while the
// client was away. SetWatches (v1) when there are no persistent watches, for
// older servers; requests are split so no one carries more than
// SET_WATCHES_MAX_LENGTH bytes of paths (ZooKeeper's own 128 KiB cap).
import { OpCode, type Request } from '../server/wire/index.ts';
import { prependChroot } from './connect-string.ts';
import type { WatchKind } from './watch-registry.ts';

export const SET_WATCHES_MAX_LENGTH = 128 * 1024;

type Lists = Record<WatchKind, string[]>;

export function buildSetWatches(lists: Lists, chroot: string, relativeZxid: number,
  maxLength = SET_WATCHES_MAX_LENGTH): Request[] {
  const withPersistent = lists.persistent.length > 0 || lists.persistentRecursive.length > 0;
  const kinds: WatchKind[] = ['data', 'exist', 'child', 'persistent', 'persistentRecursive'];
  const requests: Request[] = [];
  let chunk = emptyChunk();
  let length = 0;
  for (const kind of kinds) {
    for (const path of lists[kind]) {
      const serverPath = prependChroot(chroot, path);
      if (length > 0 && length + serverPath.length > maxLength) {
        requests.push(toRequest(chunk, relativeZxid, withPersistent));
        chunk = emptyChunk();
        length = 0;
      }
      chunk[kind].push(serverPath);
      length += serverPath.length;
    }
  }
  if (length > 0) requests.push(toRequest(chunk, relativeZxid, withPersistent));
  return requests;
}

function emptyChunk(): Lists {
  return { data: [], exist: [], child: [], persistent: [], persistentRecursive: [] };
}

function toRequest(chunk: Lists, relativeZxid: number, withPersistent: boolean): Request {
  return {
    op: 'setWatches',
    opcode: withPersistent ? OpCode.setWatches2 : OpCode.setWatches,
    body: {
      relativeZxid, dataWatches: chunk.data, existWatches: chunk.exist, childWatches: chunk.child,
      persistentWatches: chunk.persistent, persistentRecursiveWatches: chunk.persistentRecursive,
    },
  };
}
