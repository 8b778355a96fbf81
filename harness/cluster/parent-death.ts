// A node (and the netns relay) should not outlive the harness even when the
// harness is SIGKILLed and cannot run its cleanup: each is started through
// `setpriv --pdeathsig KILL`, which asks the kernel (PR_SET_PDEATHSIG) to
// SIGKILL it when the harness dies. setpriv execs, so the pid the harness
// holds stays the node's own. Without a setpriv that knows --pdeathsig
// (util-linux >= 2.33) nodes are started as before and a SIGKILLed harness
// leaves them running (`zooproof cleanup` then removes what it can find).
import { execaSync } from 'execa';

let detected: readonly string[] | undefined;

/** The argv prefix that ties a child's life to this process, or [] when unavailable. */
export function parentDeathArgv(): readonly string[] {
  if (detected === undefined) {
    const r = execaSync('setpriv', ['--help'], { reject: false, stdin: 'ignore', timeout: 5000 });
    detected = r.exitCode === 0 && String(r.stdout).includes('--pdeathsig') ? ['setpriv', '--pdeathsig', 'KILL', '--'] : [];
  }
  return detected;
}
