// Free TCP ports on 127.0.0.1 for tests: the harness's picker (random ports
// below the kernel's ephemeral range, each handed out once per process).
import { freePort as pick } from '../../harness/net/ports.ts';

export const LOOPBACK = '127.0.0.1';

/** A port on `host` that nothing listened on a moment ago and that this process has not handed out before. */
export function freePort(host = LOOPBACK): Promise<number> {
  return pick(host);
}
