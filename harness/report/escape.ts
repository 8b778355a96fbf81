// Escaping for the HTML report. History values are arbitrary: `</script>`,
// `<!--`, quotes, U+2028, lone surrogates, megabytes. Data goes into the page
// only as JSON inside <script type="application/json">, with every character
// that could end or confuse that element escaped; text in the page's own
// markup goes through htmlText. The page's script reads values with
// textContent, never innerHTML. Pure.

const JSON_UNSAFE = /[<>&\u2028\u2029]/g;
const JSON_REPLACEMENT: Record<string, string> = {
  '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029',
};

/**
 * JSON safe to place between `<script type="application/json">` and
 * `</script>`: no `<`, `>` or `&` at all (so no `</script`, no `<!--`), and
 * no U+2028/2029. JSON.stringify already escapes lone surrogates (well-formed
 * JSON.stringify), so the text is valid UTF-8. `JSON.parse` gives back the same value.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(JSON_UNSAFE, (c) => JSON_REPLACEMENT[c]!);
}

/** Text for HTML element content or a quoted attribute value. */
export function htmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A value as one line of text for display, cut to `maxChars` (the full value stays in history.jsonl). */
export function valueText(value: unknown, maxChars: number): string {
  let s: string;
  if (value === undefined) return '';
  if (typeof value === 'string') s = JSON.stringify(value);
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = String(value);
    }
  }
  return s.length <= maxChars ? s : `${s.slice(0, maxChars)}… (${s.length} chars in all)`;
}
