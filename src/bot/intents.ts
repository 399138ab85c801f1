import type { i18n } from 'i18next';

// First match wins: "auto renew" is about auto-renew before it is about renewing, "how do I pay"
// about paying before prices, "add my number" about linking before My numbers, and "how much data
// is left" about the data left before prices.
export const INTENTS = [
  'autorenew',
  'data',
  'renew',
  'paying',
  'link',
  'numbers',
  'price',
  'help',
  'stores',
  'history',
] as const;
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
    const words = languages
      .flatMap((lng) => String(i18n.getFixedT(lng)(`intents.${intent}`)).split('|'))
      .map((w) => w.trim().toLowerCase().normalize('NFKC'))
      .filter(Boolean);
    return { intent, pattern: keywordsPattern([...new Set(words)]) };
  });
  return (text: string): Intent | null => {
    const normalized = text.normalize('NFKC');
    return patterns.find((p) => p.pattern.test(normalized))?.intent ?? null;
  };
}

/**
 * One pattern for an intent's keywords, the words that need boundaries grouped under one
 * lookbehind: a lookbehind per keyword made V8 spend ~60 ms compiling each intent's pattern on its
 * first use (twice: once for Latin-1 text, once for other text), most of a burst's CPU in free text.
 */
function keywordsPattern(keywords: string[]): RegExp {
  const bounded = (keyword: string) =>
    /^[\p{Script=Latin}\p{Script=Cyrillic}\p{M}\s'-]+$/u.test(keyword.replace(/\*$/, ''));
  const words = keywords.filter((k) => bounded(k) && !k.endsWith('*')).map(escape);
  const stems = keywords.filter((k) => bounded(k) && k.endsWith('*')).map((k) => escape(k.slice(0, -1)));
  const anywhere = keywords.filter((k) => !bounded(k)).map((k) => escape(k.replace(/\*$/, '')));
  const parts = [
    ...(words.length ? [`(?<![\\p{L}\\p{M}])(?:${words.join('|')})(?![\\p{L}\\p{M}])`] : []),
    ...(stems.length ? [`(?<![\\p{L}\\p{M}])(?:${stems.join('|')})`] : []),
    ...(anywhere.length ? [`(?:${anywhere.join('|')})`] : []),
  ];
  return new RegExp(parts.length ? parts.join('|') : '(?!)', 'iu');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
