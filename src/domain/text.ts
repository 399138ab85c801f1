/** Text from chat as it may be stored and sent back: valid Unicode, cut where a person sees a character end. */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const utf8 = new TextEncoder();

/**
 * Drops what PostgreSQL or Telegram refuse or what no one means to type: NUL and other control
 * characters (tabs and line breaks stay), lone surrogate halves and U+FFFD left by a broken cut.
 */
export function cleanText(text: string): string {
  return (
    text
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/g, '')
  );
}

/** At most `max` graphemes (an emoji with its modifiers is one), so no character is ever cut in half. */
export function cutGraphemes(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  let count = 0;
  for (const { segment } of segmenter.segment(text)) {
    if (++count > max) break;
    out += segment;
  }
  return out;
}

/** At most `maxBytes` of UTF-8 (Telegram's callback data), cut between graphemes. */
export function cutUtf8(text: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const { segment } of segmenter.segment(text)) {
    bytes += utf8.encode(segment).length;
    if (bytes > maxBytes) break;
    out += segment;
  }
  return out;
}

/** Cleaned, trimmed and cut: what a free-text field such as a label keeps; null when nothing is left. */
export function fieldText(text: string | null | undefined, max: number): string | null {
  const kept = cutGraphemes(cleanText(text ?? '').trim(), max).trim();
  return kept || null;
}
