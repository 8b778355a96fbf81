// Making two shells' screens comparable: volatile fields (zxids, times,
// session ids) are masked, watcher notifications (printed asynchronously, so
// interleaved differently) are taken out and compared as a sorted list, the
// banner before the first prompt is dropped, and blank lines are ignored.
export interface Normalised {
  lines: string[];
  events: string[];
  usage: string[];
}

const PROMPT = /^\[zk: [^\]]*\((CONNECTING|CONNECTED|CLOSED)\) (\d+)\] ?/;

/** `root` (the script's own top node) is shown as /cmp, so two runs on one server compare. */
export function normalise(screen: string, root: string): Normalised {
  const raw = screen.split('\n').map((l) => l.replace(/\s+$/, ''));
  const first = raw.findIndex((l) => PROMPT.test(l));
  const lines: string[] = [];
  const events: string[] = [];
  const usage: string[] = [];
  for (const line of raw.slice(0, Math.max(first, 0))) {
    const event = /WatchedEvent state:\S+ type:\S+ path:\S+/.exec(line);
    if (event) events.push(event[0]);
  }
  for (let line of first < 0 ? raw : raw.slice(first)) {
    if (line === '' || line === 'WATCHER::') continue;
    const event = /WatchedEvent state:\S+ type:\S+ path:\S+/.exec(line);
    if (event) {
      events.push(event[0]);
      line = line.replace(event[0], '').trim();
      if (line === '') continue;
    }
    if (/^\s+\S/.test(line)) {
      usage.push(line.trim());
      continue;
    }
    line = line.replace(PROMPT, (_m, state: string, n: string) => `[zk: HOST(${state === 'CONNECTING' ? 'CONNECTED' : state}) ${n}] `)
      .replace(/^(cZxid|mZxid|pZxid) = 0x[0-9a-f]+$/, '$1 = 0xZXID')
      .replace(/^(ctime|mtime) = .*$/, '$1 = TIME')
      .replace(/^ephemeralOwner = 0x[0-9a-f]*[1-9a-f][0-9a-f]*$/, 'ephemeralOwner = 0xSESSION')
      .replaceAll(root, '/cmp')
      .trimEnd();
    const previous = lines[lines.length - 1];
    // A notification printed after a prompt pushes the typed command to the next line: join them again.
    if (previous !== undefined && PROMPT.test(previous) && previous.endsWith(']') && !PROMPT.test(line)) {
      lines[lines.length - 1] = `${previous} ${line}`;
    } else lines.push(line);
  }
  return { lines, events: events.sort().map((e) => e.replaceAll(root, '/cmp')), usage };
}
