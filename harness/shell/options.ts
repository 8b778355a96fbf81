// The subset of Apache commons-cli that zkCli's commands rely on: single-dash
// short options, with or without a value, accepted anywhere on the line.
// Errors read as zkCli prints them (the exception's toString).
export interface OptionSpec {
  /** Option letters that take no value, e.g. 'swR'. */
  flags?: string;
  /** Option letters that take one value, e.g. 'vt'. */
  valued?: string;
}

export interface ParsedArgs {
  /** Positional words, the command name first (as commons-cli's getArgs). */
  args: string[];
  flags: Set<string>;
  values: Map<string, string>;
}

export class OptionError extends Error {}

export function parseOptions(words: readonly string[], spec: OptionSpec): ParsedArgs {
  const out: ParsedArgs = { args: [], flags: new Set(), values: new Map() };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith('-') || word === '-' || i === 0) {
      out.args.push(word);
      continue;
    }
    const letter = word.slice(1);
    if (spec.flags?.includes(letter) && letter.length === 1) {
      out.flags.add(letter);
    } else if (spec.valued?.includes(letter) && letter.length === 1) {
      const value = words[i + 1];
      if (value === undefined) {
        throw new OptionError(`org.apache.commons.cli.MissingArgumentException: Missing argument for option: ${letter}`);
      }
      out.values.set(letter, value);
      i++;
    } else {
      throw new OptionError(`org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: ${word}`);
    }
  }
  return out;
}
