/**
 * The one HTML escaper. Telegram's HTML parse mode needs `&`, `<` and `>` escaped; the console's pages also put values
 * inside quoted attributes, so they ask for quotes as well. Bot texts keep their quotes: a callback answer or a button
 * is plain text, where `&#39;` would show.
 */
export function escapeHtml(value: unknown, { quotes = false } = {}): string {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- callers pass strings and numbers
  const text = String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
  return quotes ? text.replace(/"/g, '&quot;').replace(/'/g, '&#39;') : text;
}
