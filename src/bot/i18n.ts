import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n, type TFunction } from 'i18next';
import { escapeHtml } from '../escape-html.js';

export type { TFunction };

export const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../locales');
export const DEFAULT_LANGUAGE = 'en';

/** The languages with a folder under locales/, each with its name in its own language. */
export const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  id: 'Bahasa Indonesia',
  'zh-CN': '简体中文',
  'zh-TW': '繁體中文',
  ms: 'Bahasa Melayu',
  th: 'ไทย',
  vi: 'Tiếng Việt',
  ja: '日本語',
  ko: '한국어',
  ru: 'Русский',
};

let languages: readonly string[] | undefined;

/** Read once: every new traveller's language is picked from this list. */
export function supportedLanguages(): string[] {
  languages ??= Object.freeze(
    readdirSync(LOCALES_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort(),
  );
  return [...languages];
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
    languages.map((lng) => [
      lng,
      { translation: JSON.parse(readFileSync(path.join(LOCALES_DIR, lng, 'translation.json'), 'utf8')) as object },
    ]),
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
  rememberTranslations(instance);
  return instance;
}

// Per language; a full memory starts afresh (values such as names and dates make most entries unique).
const REMEMBERED_PER_LANGUAGE = 5_000;

/**
 * The translations never change once loaded (no changeLanguage, no backend), so the same key with the
 * same values always reads the same: each language's fixed `t` remembers what it returned. i18next
 * takes 15–45 µs a call, and a plan list makes dozens of calls for the same few plans.
 */
function rememberTranslations(instance: i18n): void {
  const getFixedT = instance.getFixedT.bind(instance);
  const byLanguage = new Map<string, TFunction>();
  instance.getFixedT = ((lng: unknown, ...rest: unknown[]) => {
    if (typeof lng !== 'string' || rest.some((r) => r !== undefined))
      return (getFixedT as (...a: unknown[]) => TFunction)(lng, ...rest);
    let t = byLanguage.get(lng);
    if (!t) byLanguage.set(lng, (t = remembering(getFixedT(lng))));
    return t;
  }) as typeof instance.getFixedT;
}

function remembering(t: TFunction): TFunction {
  const said = new Map<string, string>();
  const translate = t as unknown as (...args: unknown[]) => unknown;
  const remembered = (key: unknown, options?: unknown, ...rest: unknown[]) => {
    if (typeof key !== 'string' || rest.length || !describable(options)) return translate(key, options, ...rest);
    const id = options === undefined ? key : `${key}\u0000${JSON.stringify(options)}`;
    const known = said.get(id);
    if (known !== undefined) return known;
    const text = translate(key, options);
    if (typeof text === 'string') {
      if (said.size >= REMEMBERED_PER_LANGUAGE) said.clear();
      said.set(id, text);
    }
    return text;
  };
  // mainMenu and others read which language a fixed `t` speaks.
  return Object.assign(remembered, {
    lng: (t as { lng?: string }).lng,
    ns: (t as { ns?: string }).ns,
  }) as unknown as TFunction;
}

/** Options JSON names exactly: plain objects of strings, numbers and booleans, one level of nesting at most. */
function describable(options: unknown, depth = 0): boolean {
  if (options === undefined) return depth === 0;
  if (
    options === null ||
    typeof options !== 'object' ||
    Array.isArray(options) ||
    Object.getPrototypeOf(options) !== Object.prototype
  )
    return false;
  for (const value of Object.values(options)) {
    if (value === null || value === undefined) continue;
    const type = typeof value;
    if (type === 'string' || type === 'boolean' || (type === 'number' && Number.isFinite(value))) continue;
    if (type === 'object' && depth === 0 && describable(value, 1)) continue;
    return false;
  }
  return true;
}
