// A static file server for the reports folder (`zooproof serve`): loopback by
// default, GET and HEAD only, nothing outside the root (no `..`, no NUL, no
// symlink out of it), a directory served by its index.html or else a listing.
import { createReadStream, existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { htmlText } from './escape.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.json': 'application/json; charset=utf-8', '.jsonl': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8', '.log': 'text/plain; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
  '.edn': 'text/plain; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
};

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(`${text}\n`);
}

/** The file a URL path names inside `root`, or an HTTP status for why not. */
export function resolveInRoot(root: string, urlPath: string): string | 400 | 403 | 404 {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return 400;
  }
  if (path.includes('\0') || path.includes('\\')) return 400;
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return 403;
  const full = join(root, ...parts);
  if (!existsSync(full)) return 404;
  const real = realpathSync(full);
  const realRoot = realpathSync(root);
  if (real !== realRoot && !real.startsWith(realRoot + sep)) return 403;
  return real;
}

function listing(dir: string, urlPath: string): string {
  const base = urlPath.endsWith('/') ? urlPath : `${urlPath}/`;
  const items = readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name))
    .map((e) => { const name = e.isDirectory() ? `${e.name}/` : e.name; return `<li><a href="${htmlText(base + encodeURIComponent(e.name) + (e.isDirectory() ? '/' : ''))}">${htmlText(name)}</a></li>`; });
  return `<!doctype html><meta charset="utf-8"><title>${htmlText(urlPath)}</title><h1>${htmlText(urlPath)}</h1><ul>${base !== '/' ? '<li><a href="../">../</a></li>' : ''}${items.join('')}</ul>\n`;
}

function handle(root: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') { send(res, 405, 'method not allowed'); return; }
  const urlPath = req.url ?? '/';
  const found = resolveInRoot(root, urlPath);
  if (typeof found === 'number') { send(res, found, found === 404 ? 'not found' : found === 403 ? 'forbidden' : 'bad request'); return; }
  let file = found;
  if (statSync(file).isDirectory()) {
    if (!urlPath.split('?')[0]!.endsWith('/')) { res.writeHead(301, { location: `${urlPath.split('?')[0]}/` }); res.end(); return; }
    const index = join(file, 'index.html');
    if (!existsSync(index)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : listing(file, decodeURIComponent(urlPath.split('?')[0]!)));
      return;
    }
    file = index;
  }
  const size = statSync(file).size;
  res.writeHead(200, { 'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'content-length': size, 'x-content-type-options': 'nosniff' });
  if (req.method === 'HEAD') { res.end(); return; }
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

export interface ServeOptions { root: string; host: string; port: number }

/** Starts the server; resolves once listening, with the bound port (port 0: any free one). */
export function serveReports(o: ServeOptions): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    try {
      handle(o.root, req, res);
    } catch {
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      const addr = server.address();
      resolve({ server, port: typeof addr === 'object' && addr ? addr.port : o.port });
    });
  });
}
