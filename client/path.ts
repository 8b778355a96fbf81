// ZooKeeper's client-side path rules (PathUtils.validatePath): absolute, no
// trailing '/', no empty, '.' or '..' segments, no control or reserved
// characters. A sequential create may end with '/' (the server appends the
// counter). Returns the reason a path is invalid, or null.

/** Where an empty, '.' or '..' segment can start. */
const SLASH_THEN_SLASH_OR_DOT = /\/[/.]/;
const INVALID_CHAR = /[\u0000-\u001f\u007f-\u009f\ud800-\uf8ff\ufff0-\uffff]/;

export function validatePath(given: string, isSequential = false): string | null {
  const path = isSequential ? given + '1' : given;
  if (path.length === 0) return 'path length must be > 0';
  if (path[0] !== '/') return 'path must start with /';
  if (path.length === 1) return null;
  if (path.endsWith('/')) return 'path must not end with /';
  // Native scans first: a deep znode's path is tens of kilobytes, and most paths are valid.
  if (SLASH_THEN_SLASH_OR_DOT.test(path)) {
    for (const seg of path.split('/').slice(1)) {
      if (seg === '') return 'empty node name';
      if (seg === '.' || seg === '..') return `relative path segment '${seg}'`;
    }
  }
  const bad = INVALID_CHAR.exec(path);
  if (bad === null) return null;
  return `invalid character \\u${path.charCodeAt(bad.index).toString(16).padStart(4, '0')} at ${bad.index}`;
}
