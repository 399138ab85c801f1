import type { i18n } from 'i18next';

// First match wins: "auto renew" is about auto-renew before it is about renewing, "how do I pay"
// about paying before prices, "add my number" about linking before My numbers, and "how much data
// is left" about the data left before prices.
export const INTENTS = ['autorenew', 'data', 'renew', 'paying', 'link', 'numbers', 'price', 'help', 'stores', 'history'] as const;
export type Intent = (typeof INTENTS)[number];

/**
 * What a traveller who types instead of tapping wants. The keywords of every language count,
 * since travellers often write in English or Indonesian whatever their own language.
 *
 * Keywords in scripts that put spaces between words (Latin, Cyrillic) match whole words, so
 * "link" is not found in "linking"; a keyword ending in "*" is a stem ("продл*" finds "продлить"
 * and "продлите"). Chinese, Japanese, Korean and Thai keywords match anywhere in the text.
 */
export function createIntentMatcher(i18n: i18n, languages: string[]) {
  const patterns = INTENTS.map((intent) => {
    const words = languages.flatMap((lng) => String(i18n.getFixedT(lng)(`intents.${intent}`)).split('|')).map((w) => w.trim().toLowerCase().normalize('NFKC')).filter(Boolean);
    const parts = [...new Set(words)].map(keywordPattern);
    return { intent, pattern: new RegExp(parts.join('|'), 'iu') };
  });
  return (text: string): Intent | null => patterns.find((p) => p.pattern.test(text.normalize('NFKC')))?.intent ?? null;
}

function keywordPattern(keyword: string): string {
  const stem = keyword.endsWith('*');
  const word = stem ? keyword.slice(0, -1) : keyword;
  if (!/^[\p{Script=Latin}\p{Script=Cyrillic}\p{M}\s'-]+$/u.test(word)) return escape(word);
  return `(?<![\\p{L}\\p{M}])${escape(word)}${stem ? '' : '(?![\\p{L}\\p{M}])'}`;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
