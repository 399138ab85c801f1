import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type TFunction } from 'i18next';
import { LOCALES_DIR, supportedLanguages } from '../../bot/i18n.js';
import { formatDateTime } from '../../domain/expiry.js';
import { formatMoney, type Money } from '../../domain/money.js';

/** The console's labels: locales/<lang>/console.json, apart from the chat's strings; English where a language has none. */
export async function createConsoleI18n(): Promise<i18n> {
  const languages = supportedLanguages().filter((lng) => existsSync(path.join(LOCALES_DIR, lng, 'console.json')));
  const instance = i18next.createInstance();
  await instance.init({
    resources: Object.fromEntries(
      languages.map((lng) => [
        lng,
        { console: JSON.parse(readFileSync(path.join(LOCALES_DIR, lng, 'console.json'), 'utf8')) as object },
      ]),
    ),
    ns: ['console'],
    defaultNS: 'console',
    supportedLngs: languages,
    fallbackLng: 'en',
    load: 'currentOnly',
    // Pages escape every value themselves (html.ts), so i18next must not escape twice.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

/** What a page needs to speak the operator's language and clock. */
export type ConsoleLocale = {
  t: TFunction;
  language: string;
  timezone: string;
  money(m: Money): string;
  date(d: Date | string): string;
  number(n: number): string;
  percent(n: number): string;
  /** "Label: value" with the separator the language writes: ": " in English, 「：」 (no space) in Japanese. */
  field(label: string, value: string): string;
};

export function consoleLocale(i18n: i18n, language: string, timezone: string): ConsoleLocale {
  const lng =
    i18n.options.supportedLngs && (i18n.options.supportedLngs as string[]).includes(language) ? language : 'en';
  const t = i18n.getFixedT(lng);
  return {
    t,
    language,
    timezone,
    money: (m) => formatMoney(m, language),
    date: (d) => formatDateTime(new Date(d), language, timezone),
    number: (n) => new Intl.NumberFormat(language).format(n),
    percent: (n) => new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(n),
    field: (label, value) => t('common.field', { label, value }),
  };
}
