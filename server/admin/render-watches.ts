// wchs, wchc and wchp (WatchCommand; DataTree.dumpWatchesSummary and
// dumpWatches). As in ZooKeeper 3.8 they show the data watches only. Pure.

import { hex64 } from './java-format.ts';
import type { ServerSnapshot, WatchSnapshot } from './snapshot.ts';

function groupBy<K>(watches: readonly WatchSnapshot[], keyOf: (w: WatchSnapshot) => K, valueOf: (w: WatchSnapshot) => string) {
  const groups = new Map<K, Set<string>>();
  for (const w of watches) {
    const key = keyOf(w);
    let values = groups.get(key);
    if (values === undefined) groups.set(key, (values = new Set()));
    values.add(valueOf(w));
  }
  return groups;
}

/** `wchs`: WatchManager.toString, then a line end. */
export function renderWatchSummary(s: ServerSnapshot): string {
  const bySession = groupBy(s.dataWatches, (w) => w.sessionId, (w) => w.path);
  const paths = new Set(s.dataWatches.map((w) => w.path));
  let total = 0;
  for (const set of bySession.values()) total += set.size;
  return `${bySession.size} connections watching ${paths.size} paths\nTotal watches:${total}\n`;
}

/** `wchc` (by session) or `wchp` (by path), then a blank line. */
export function renderWatches(s: ServerSnapshot, byPath: boolean): string {
  let out = '';
  if (byPath) {
    for (const [path, sessions] of groupBy(s.dataWatches, (w) => w.path, (w) => hex64(w.sessionId))) {
      out += `${path}\n`;
      for (const session of sessions) out += `\t0x${session}\n`;
    }
  } else {
    for (const [session, paths] of groupBy(s.dataWatches, (w) => w.sessionId, (w) => w.path)) {
      out += `0x${hex64(session)}\n`;
      for (const path of paths) out += `\t${path}\n`;
    }
  }
  return `${out}\n`;
}
