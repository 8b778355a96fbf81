// `zooproof serve [--port N] [--dir D] [--host H]`: serves the reports folder
// (default reports/) on 127.0.0.1:8080 until Ctrl-C. Exit 254 on bad
// arguments or a port in use (one line on stderr).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT_BAD_ARGS, newProgram } from './cli.ts';
import { REPO_ROOT } from './cluster/targets.ts';
import { serveReports } from './report/serve.ts';

interface Flags { port: string; dir?: string; host: string }

export async function serveCommand(args: string[]): Promise<number> {
  const p = newProgram('serve').description('serve the reports folder over HTTP (loopback by default)')
    .option('--port <n>', 'port (0: any free one)', '8080')
    .option('--host <addr>', 'address to bind (keep it on loopback unless you mean to publish the reports)', '127.0.0.1')
    .option('--dir <dir>', 'folder to serve (default: reports/)');
  p.parse(args, { from: 'user' });
  const f = p.opts<Flags>();
  const port = Number(f.port);
  const root = resolve(f.dir ?? join(REPO_ROOT, 'reports'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) { process.stderr.write(`zooproof serve: --port takes 0..65535, got '${f.port}'\n`); return EXIT_BAD_ARGS; }
  if (!existsSync(root)) { process.stderr.write(`zooproof serve: ${root}: no such directory\n`); return EXIT_BAD_ARGS; }
  let server;
  try {
    server = await serveReports({ root, host: f.host, port });
  } catch (err) {
    process.stderr.write(`zooproof serve: cannot listen on ${f.host}:${port}: ${(err as Error).message}\n`);
    return EXIT_BAD_ARGS;
  }
  process.stdout.write(`zooproof serve: ${root} at http://${f.host.includes(':') ? `[${f.host}]` : f.host}:${server.port}/ (Ctrl-C to stop)\n`);
  await new Promise<void>((done) => {
    const stop = () => { server.server.close(() => done()); server.server.closeAllConnections(); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
