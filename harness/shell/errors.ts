// Turning a failed call into zkCli's message and exit code.
import { Code } from '../../server/wire/index.ts';
import { isZooKeeperError } from '../../client/index.ts';
import { CliError } from './context.ts';
import { javaPathError, keeperMessage } from './format.ts';

/** Rejects with zkCli's message for a bad path before anything is sent. */
export function checkPath(path: string, sequential = false): void {
  const problem = javaPathError(sequential ? `${path}1` : path);
  if (problem !== null) throw new CliError(problem);
}

/** Runs a client call; a ZooKeeper failure becomes the CliError zkCli would raise. */
export async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw toCliError(e);
  }
}

export function toCliError(e: unknown): unknown {
  if (e instanceof CliError) return e;
  if (isZooKeeperError(e)) {
    if (e.code === Code.BADARGUMENTS && !e.sent) return new CliError(e.detail ?? e.message);
    return new CliError(keeperMessage(e.code, e.path));
  }
  return e;
}
