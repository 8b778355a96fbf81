// Hostile history values for the escaping tests (unit and browser).
/** Values no report may execute: script and markup breakouts, comment openers, quotes, line separators, lone surrogates, 1 MB. */
export const HOSTILE: unknown[] = [
  '</script><script>window.__pwned=1</script>', '<img src=x onerror=window.__pwned=1>', '<!-- <script>', '"\'`', '\u2028\u2029',
  '\ud800 lone surrogate \udfff', '\ufffd\u0000\u001f', '</SCRIPT >', { '</script>': ['<!--', '-->'] }, 'x'.repeat(1024 * 1024),
];
