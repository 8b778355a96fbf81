// ZooKeeper's path rules (PathUtils.validatePath): absolute, no empty, "." or
// ".." segments, no trailing slash, no null or control characters.

/** Characters PathUtils.validatePath refuses anywhere in a path (null included). */
const INVALID_CHAR = /[\u0000-\u001f\u007f-\u009f\ud800-\uf8ff\ufff0-\uffff]/;
/** "//" or "/.": where an empty or relative segment can start (String.includes is slow on "/a/a/a…"). */
const SLASH_THEN_SLASH_OR_DOT = /\/[/.]/;

export function pathError(path: string, isSequential = false): string | null {
  const p = isSequential ? `${path}1` : path;
  if (p.length === 0) return 'Path length must be > 0';
  if (p.charAt(0) !== '/') return 'Path must start with / character';
  if (p.length === 1) return null;
  if (p.charAt(p.length - 1) === '/') return 'Path must not end with / character';
  // Fast path for the usual valid path (native scans; a deep znode's path is
  // tens of kilobytes): without "//", "/." or a refused character none of the
  // checks below can fail. Otherwise the loop finds the first error.
  if (!SLASH_THEN_SLASH_OR_DOT.test(p) && !INVALID_CHAR.test(p)) return null;
  return scanPath(p);
}

/** The first error in `p` (absolute, longer than "/", no trailing "/"), char by char; null if none. */
export function scanPath(p: string): string | null {
  let last = '/';
  for (let i = 1; i < p.length; i++) {
    const c = p.charCodeAt(i);
    const ch = p.charAt(i);
    if (c === 0) return `null character not allowed @${i}`;
    if (ch === '/' && last === '/') return `empty node name specified @${i}`;
    if (ch === '.' && last === '.') {
      if (p.charAt(i - 2) === '/' && (i + 1 === p.length || p.charAt(i + 1) === '/')) {
        return `relative paths not allowed @${i}`;
      }
    } else if (ch === '.') {
      if (p.charAt(i - 1) === '/' && (i + 1 === p.length || p.charAt(i + 1) === '/')) {
        return `relative paths not allowed @${i}`;
      }
    } else if ((c > 0x00 && c <= 0x1f) || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) ||
      (c >= 0xfff0 && c <= 0xffff)) {
      return `invalid character @${i}`;
    }
    last = ch;
  }
  return null;
}

export function isValidPath(path: string): boolean {
  return pathError(path) === null;
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

/** The paths ZooKeeper reserves: they can be neither deleted nor recreated. */
export const SPECIAL_PATHS: ReadonlySet<string> = new Set(['/', '/zookeeper', '/zookeeper/quota', '/zookeeper/config']);
