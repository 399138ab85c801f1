import type { i18n } from 'i18next';

// First match wins: "auto renew" is about auto-renew before it is about renewing; "how much data left" is about data, not prices.
export const INTENTS = ['autorenew', 'data', 'renew', 'price', 'help', 'stores', 'numbers', 'history', 'link'] as const;
export type Intent = (typeof INTENTS)[number];

/**
 * What a traveller who types instead of tapping wants. The keywords of every language count,
 * since travellers often write in English or Indonesian whatever their own language.
 */
export function createIntentMatcher(i18n: i18n, languages: string[]) {
  const patterns = INTENTS.map((intent) => {
    const words = languages.flatMap((lng) => String(i18n.getFixedT(lng)(`intents.${intent}`)).split('|')).map((w) => w.trim().toLowerCase()).filter(Boolean);
    // Latin words match whole words ("renew" but not "renewal?" → still fine; "top up" as a phrase); CJK and Thai match inside the text.
    const parts = [...new Set(words)].map((w) => (/^[\p{Script=Latin}\s'-]+$/u.test(w) ? `(?<![\\p{L}])${escape(w)}(?![\\p{L}])` : escape(w)));
    return { intent, pattern: new RegExp(parts.join('|'), 'iu') };
  });
  return (text: string): Intent | null => patterns.find((p) => p.pattern.test(text.normalize('NFKC')))?.intent ?? null;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
