// Four-letter words for tests: the harness's client (write the word on a
// fresh connection, read until the server closes it), with a test signature.
import { fourLetterWord as ask } from '../../harness/cluster/four-letter.ts';

export function fourLetterWord(host: string, port: number, word: string, timeoutMs = 5000): Promise<string> {
  return ask({ host, port }, word, timeoutMs);
}
