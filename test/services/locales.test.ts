import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES_DIR, pickLanguage, supportedLanguages } from '../../src/bot/i18n.js';

type Tree = { [key: string]: string | Tree };
const flatten = (tree: Tree, prefix = ''): Record<string, string> =>
  Object.fromEntries(
    Object.entries(tree).flatMap(([k, v]) =>
      typeof v === 'string' ? [[prefix + k, v]] : Object.entries(flatten(v, `${prefix}${k}.`)),
    ),
  );
const load = (lng: string) =>
  flatten(JSON.parse(readFileSync(path.join(LOCALES_DIR, lng, 'translation.json'), 'utf8')));
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

  it.each([
    ['zh-hans', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-hans-SG', 'zh-CN'],
    ['zh-hant', 'zh-TW'],
    ['zh-TW', 'zh-TW'],
    ['zh-hk', 'zh-TW'],
    ['id', 'id'],
    ['in', 'id'],
    ['ms-MY', 'ms'],
    ['th', 'th'],
    ['vi-VN', 'vi'],
    ['ja', 'ja'],
    ['ko-KR', 'ko'],
    ['ru', 'ru'],
    ['en-GB', 'en'],
    ['uk', 'en'],
    ['xx', 'en'],
    [undefined, 'en'],
  ])("picks %s → %s from Telegram's language_code", (code, language) => {
    expect(pickLanguage(code)).toBe(language);
  });

  it("render within Telegram's 4096 characters", async () => {
    const i18n = await createI18n();
    for (const lng of languages) {
      const t = i18n.getFixedT(lng);
      for (const key of Object.keys(load(lng)).map(base)) {
        const rendered = t(key, {
          count: 2,
          name: 'x'.repeat(64),
          line: '•••• 5678',
          plan: 'x'.repeat(60),
          price: 'IDR 100,000',
          contact: '@support',
        });
        expect(rendered.length, `${lng}:${key}`).toBeLessThanOrEqual(4096);
        expect(rendered, `${lng}:${key}`).not.toBe(key);
      }
    }
  });
});

describe('the ten languages', () => {
  it('are all there', () => {
    expect(supportedLanguages()).toEqual(['en', 'id', 'ja', 'ko', 'ms', 'ru', 'th', 'vi', 'zh-CN', 'zh-TW']);
  });

  it("use each language's own plural forms", async () => {
    const i18n = await createI18n();
    const ru = i18n.getFixedT('ru');
    expect(ru('plan.validity', { count: 1 })).toBe('1 день');
    expect(ru('plan.validity', { count: 3 })).toBe('3 дня');
    expect(ru('plan.validity', { count: 7 })).toBe('7 дней');
    expect(i18n.getFixedT('en')('plan.validity', { count: 1 })).toBe('1 day');
    expect(i18n.getFixedT('ja')('plan.validity', { count: 7 })).toBe('7日');
  });

  it('write hours as counts in each language\'s plural forms, never "1 hours"', async () => {
    const i18n = await createI18n();
    const en = i18n.getFixedT('en');
    expect(en('autorenew.when_before', { count: 1 })).toBe('1 hour before expiry');
    expect(en('autorenew.when_before', { count: 6 })).toBe('6 hours before expiry');
    expect(en('autorenew.intro', { count: 1, name: 'Mum' })).toContain('1 hour before it expires');
    expect(
      en('autorenew.card_saved', { count: 1, card: 'Visa •••• 4242', name: 'Mum', plan: 'AXIS', cap: 'IDR 70,000' }),
    ).toContain(', 1 hour before expiry,');
    const ru = i18n.getFixedT('ru');
    expect(ru('autorenew.when_before', { count: 1 })).toBe('за 1 час до окончания срока');
    expect(ru('autorenew.when_before', { count: 3 })).toBe('за 3 часа до окончания срока');
    expect(ru('autorenew.when_before', { count: 6 })).toBe('за 6 часов до окончания срока');
    expect(ru('autorenew.when_low', { count: 21, data: '1 ГБ' })).toContain('за 21 час до окончания срока');
    expect(i18n.getFixedT('zh-TW')('autorenew.when_before', { count: 6 })).toBe('到期前 6 小時');
    for (const lng of supportedLanguages()) {
      const hours = Object.entries(load(lng)).filter(([key]) =>
        /^autorenew\.(intro|when_before|when_low|card_saved|when_before_button)_(one|few|many|other)$/.test(key),
      );
      expect(hours.length, lng).toBeGreaterThanOrEqual(5);
      for (const [key, text] of hours) expect(text, `${lng}:${key}`).toContain('{{count}}');
    }
  });
});

describe('callback data', () => {
  it("stays within Telegram's 64 bytes with the longest ids Kuota makes", async () => {
    const { CB } = await import('../../src/bot/keyboards.js');
    const cuid = 'c'.repeat(25);
    const longestPlan = 'a'.repeat(41);
    const all = [
      CB.openLine(cuid),
      CB.renewLine(cuid),
      CB.unlinkAsk(cuid),
      CB.unlinkYes(cuid),
      CB.pay(cuid, 'm'),
      CB.cancelOrder(cuid),
      CB.receipt(cuid),
      CB.renewNow(cuid),
      CB.pickLine(cuid),
      CB.pickPlan(longestPlan),
      CB.notice(`ntc${'x'.repeat(20)}`),
      CB.language('zh-TW'),
      CB.city('K'.repeat(80)),
      CB.store('s'.repeat(41)),
      CB.helpTopic('precautions'),
      CB.settingZone(15),
      CB.menu('settings'),
    ];
    for (const data of all) expect(Buffer.byteLength(data), data).toBeLessThanOrEqual(64);
  });
});
