// zkCli's command-line splitting: words separated by blanks; a word that
// starts with a quote runs to the matching quote (which is stripped), so
// `set /a "two words"` passes `two words` as one argument.
const WORD = /\s*([^"'\s]\S*|"[^"]*"|'[^']*')\s*/g;

export function tokenize(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(WORD)) {
    const word = match[1]!;
    const quoted = /^(["'])(.*)\1$/s.exec(word);
    words.push(quoted ? quoted[2]! : word);
  }
  return words;
}
