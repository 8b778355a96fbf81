// ZooKeeper's client-side path rules (PathUtils.validatePath): absolute, no
// trailing '/', no empty, '.' or '..' segments, no control or reserved
// characters. A sequential create may end with '/' (the server appends the
// counter). Returns the reason a path is invalid, or null.

export function validatePath(path: string, isSequential = false): string | null {
  if (isSequential) return validatePath(path + '1');
  if (path.length === 0) return 'path length must be > 0';
  if (path[0] !== '/') return 'path must start with /';
  if (path.length === 1) return null;
  if (path.endsWith('/')) return 'path must not end with /';
  const segments = path.split('/').slice(1);
  for (const seg of segments) {
    if (seg === '') return 'empty node name';
    if (seg === '.' || seg === '..') return `relative path segment '${seg}'`;
  }
  for (let i = 0; i < path.length; i++) {
    if (isInvalidChar(path.charCodeAt(i))) return `invalid character \\u${path.charCodeAt(i).toString(16).padStart(4, '0')} at ${i}`;
  }
  return null;
}

function isInvalidChar(c: number): boolean {
  return (c >= 0x0000 && c <= 0x001f) || (c >= 0x007f && c <= 0x009f)
    || (c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfff0 && c <= 0xffff);
}
