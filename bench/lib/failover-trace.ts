// A failover's timeline from one survivor's log (bench:ensemble --failover-trace):
// the lines between the kill and the first acknowledged write. zooproof lines
// start with an ISO timestamp and are shown in ms since the kill. Apache
// ZooKeeper's (slf4j-simple with showDateTime) start with ms since the JVM
// started, so they are shown relative to the survivor's first sight of the
// leader's death ("Exception when following the leader" / "Unexpected
// exception"), which is the kill plus the time to notice it.
export interface TraceWindow {
  /** Wall-clock ms of the kill. */
  readonly killedAtMs: number;
  /** How long after the kill the window ends. */
  readonly durationMs: number;
}

const ZOOPROOF_NOISE = /ZooKeeperServer not running|client closed session/;
const APACHE_NOISE = /^\s*at |DEBUG|NIOServerCnxn - Close of session|RequestPathMetricsCollector|AuthenticationHelper|ResponseCache|LearnerMaster - zookeeper|Leader - (TCP NoDelay|zookeeper\.)|ZooKeeperServer - (minSession|maxSession|The max bytes|The large request|Created server)/;
const APACHE_DEATH = /Exception when following the leader|Unexpected exception|Exception when observing the leader/;

export function zooproofTrace(log: string, w: TraceWindow): string[] {
  const out: string[] = [];
  for (const line of log.split('\n')) {
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (.*)$/.exec(line);
    if (m === null || ZOOPROOF_NOISE.test(line)) continue;
    const at = Date.parse(m[1]!) - w.killedAtMs;
    if (at >= -20 && at <= w.durationMs + 50) out.push(`${String(at).padStart(6)} ms  ${m[2]}`);
  }
  return out;
}

/** `logAfterKill`: what the survivor logged since the kill (its log file from the offset it had then). */
export function apacheTrace(logAfterKill: string, w: TraceWindow): string[] {
  const lines = logAfterKill.split('\n').flatMap((line) => {
    const m = /^(\d+) (.*)$/.exec(line);
    return m === null || APACHE_NOISE.test(line) ? [] : [{ t: Number(m[1]), text: m[2]! }];
  });
  const death = lines.find((l) => APACHE_DEATH.test(l.text));
  if (death === undefined) return [];
  return lines.filter((l) => l.t >= death.t && l.t <= death.t + w.durationMs + 50)
    .map((l) => `${String(l.t - death.t).padStart(6)} ms  ${shortApache(l.text)}`);
}

/** Without the thread name and the logger's package: `WARN Learner - Exception when following the leader`. */
function shortApache(text: string): string {
  return text.replace(/^\[.*?\] (?=(TRACE|DEBUG|INFO|WARN|ERROR) )/, '')
    .replace(/\borg\.apache\.zookeeper\.[\w.]*?\.(?=[A-Z])/, '').slice(0, 180);
}
