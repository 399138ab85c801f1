import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES_DIR, pickLanguage, supportedLanguages } from '../../src/bot/i18n.js';

type Tree = { [key: string]: string | Tree };
const flatten = (tree: Tree, prefix = ''): Record<string, string> =>
  Object.fromEntries(Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[prefix + k, v]] : Object.entries(flatten(v, `${prefix}${k}.`)))));
const load = (lng: string) => flatten(JSON.parse(readFileSync(path.join(LOCALES_DIR, lng, 'translation.json'), 'utf8')));
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');
const variables = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('translations', () => {
  const languages = supportedLanguages();
  const english = load('en');

  it('cover at least English, Indonesian and Simplified Chinese', () => {
    expect(languages).toEqual(expect.arrayContaining(['en', 'id', 'zh-CN']));
  });

  it.each(languages)('%s has every key, with the same variables as English', (lng) => {
    const other = load(lng);
    const englishKeys = new Set(Object.keys(english).map(base));
    const otherKeys = new Set(Object.keys(other).map(base));
    expect([...englishKeys].filter((k) => !otherKeys.has(k))).toEqual([]);
    expect([...otherKeys].filter((k) => !englishKeys.has(k))).toEqual([]);
    for (const [key, text] of Object.entries(other)) {
      const englishText = english[key] ?? english[`${base(key)}_other`] ?? english[base(key)]!;
      expect(variables(text), `${lng}:${key}`).toEqual(variables(englishText));
    }
  });

  it('picks a supported language from Telegram\'s language_code', () => {
    expect(pickLanguage('zh-hans')).toBe('zh-CN');
    expect(pickLanguage('zh')).toBe('zh-CN');
    expect(pickLanguage('id')).toBe('id');
    expect(pickLanguage('in')).toBe('id');
    expect(pickLanguage('en-GB')).toBe('en');
    expect(pickLanguage('xx')).toBe('en');
    expect(pickLanguage(undefined)).toBe('en');
  });

  it('render within Telegram\'s 4096 characters', async () => {
    const i18n = await createI18n();
    for (const lng of languages) {
      const t = i18n.getFixedT(lng);
      for (const key of Object.keys(load(lng)).map(base)) {
        const rendered = t(key, { count: 2, name: 'x'.repeat(64), line: '•••• 5678', plan: 'x'.repeat(60), price: 'IDR 100,000', contact: '@support' });
        expect(rendered.length, `${lng}:${key}`).toBeLessThanOrEqual(4096);
        expect(rendered, `${lng}:${key}`).not.toBe(key);
      }
    }
  });
});
