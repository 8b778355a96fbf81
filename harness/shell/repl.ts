// The interactive loop: Node's readline with zkCli's prompt, line history
// (arrow keys) and tab completion of commands and znode paths.
import { createInterface } from 'node:readline';
import { COMMAND_NAMES } from './commands.ts';
import { complete } from './completer.ts';
import type { Shell } from './shell.ts';

export async function runInteractive(shell: Shell, input: NodeJS.ReadableStream, output: NodeJS.WritableStream):
  Promise<void> {
  const rl = createInterface({
    input, output, historySize: 500, terminal: (output as { isTTY?: boolean }).isTTY === true,
    completer: (line: string, callback: (err: null, result: [string[], string]) => void) => {
      const listChildren = async (path: string) => {
        if (!shell.zk || !shell.isAlive) return [];
        return (await shell.zk.getChildren(path)).children;
      };
      void complete(line, COMMAND_NAMES, listChildren).then((r) => callback(null, r));
    },
  });
  const ask = () => {
    rl.setPrompt(shell.prompt());
    rl.prompt();
  };
  ask();
  for await (const line of rl) {
    await shell.executeLine(line.trim() === '' ? '' : line);
    if (shell.quitRequested) break;
    ask();
  }
  rl.close();
}
