import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n, type TFunction } from 'i18next';

export type { TFunction };

export const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../locales');
export const DEFAULT_LANGUAGE = 'en';

/** The languages with a folder under locales/, each with its name in its own language. */
export const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English', id: 'Bahasa Indonesia', 'zh-CN': '简体中文', 'zh-TW': '繁體中文', ms: 'Bahasa Melayu',
  th: 'ไทย', vi: 'Tiếng Việt', ja: '日本語', ko: '한국어', ru: 'Русский',
};

export function supportedLanguages(): string[] {
  return readdirSync(LOCALES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

/** Maps Telegram's language_code (IETF tags such as "zh-hans", "id", "en-GB") to a supported language. */
export function pickLanguage(code: string | undefined, supported = supportedLanguages()): string {
  if (!code) return DEFAULT_LANGUAGE;
  const lower = code.toLowerCase();
  const exact = supported.find((l) => l.toLowerCase() === lower);
  if (exact) return exact;
  const base = lower.split(/[-_]/)[0]!;
  if (base === 'zh') {
    const traditional = /hant|tw|hk|mo/.test(lower);
    const wanted = traditional ? 'zh-TW' : 'zh-CN';
    if (supported.includes(wanted)) return wanted;
    return supported.find((l) => l.startsWith('zh')) ?? DEFAULT_LANGUAGE;
  }
  if (base === 'in') return supported.includes('id') ? 'id' : DEFAULT_LANGUAGE; // legacy code for Indonesian
  return supported.find((l) => l.toLowerCase().split('-')[0] === base) ?? DEFAULT_LANGUAGE;
}

/** One i18next instance for the process; each update gets its own fixed `t`, never changeLanguage. */
export async function createI18n(): Promise<i18n> {
  const languages = supportedLanguages();
  const resources = Object.fromEntries(
    languages.map((lng) => [lng, { translation: JSON.parse(readFileSync(path.join(LOCALES_DIR, lng, 'translation.json'), 'utf8')) }]),
  );
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    supportedLngs: languages,
    fallbackLng: DEFAULT_LANGUAGE,
    load: 'currentOnly',
    // Messages are sent as HTML: values are escaped, the templates are trusted.
    interpolation: { escapeValue: true, escape: escapeHtml },
    returnNull: false,
  });
  return instance;
}

export function escapeHtml(value: unknown): string {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
