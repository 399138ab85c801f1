import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createI18n, LANGUAGE_NAMES, supportedLanguages } from '../../src/bot/i18n.js';
import { displayWidth, fitWidth } from '../../src/bot/text-width.js';
import { BUTTON_KEYS, renderButton, WIDTH } from '../helpers/buttons.js';

describe('buttons on a phone', () => {
  it('count East Asian characters and emoji as two columns, Thai and Vietnamese marks as none', () => {
    expect(displayWidth('Renew')).toBe(5);
    expect(displayWidth('续费')).toBe(4);
    expect(displayWidth('🔄 續約')).toBe(7);
    expect(displayWidth('⚠️ Before')).toBe(9);
    expect(displayWidth('ต่ออายุ')).toBe(5);
    expect(displayWidth('Gia hạn')).toBe(7);
    expect(fitWidth('Mum and Dad travel eSIM', 14)).toBe('Mum and Dad t…');
    expect(fitWidth('Mum', 14)).toBe('Mum');
    expect(displayWidth(fitWidth('妈妈的印尼电话卡号码', 14))).toBeLessThanOrEqual(14);
  });

  it.each(supportedLanguages())('%s: every button fits its row without being cut', async (language) => {
    const t = (await createI18n()).getFixedT(language);
    const tooWide: string[] = [];
    for (const [key, slot] of Object.entries(BUTTON_KEYS)) {
      for (const label of renderButton(t, language, key)) {
        expect(label, `${language}:${key}`).not.toBe(key);
        if (displayWidth(label) > WIDTH[slot])
          tooWide.push(`${key} (${slot}, ${displayWidth(label)} > ${WIDTH[slot]}): ${label}`);
      }
    }
    expect(tooWide).toEqual([]);
  });

  it("checks every translated label the bot's keyboards use", () => {
    const sources = readdirSync('src/bot', { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => readFileSync(path.join('src/bot', file), 'utf8'));
    // A keyboard button whose label is a locale key: .text(t('key'…) or .url(l.t('key'…).
    const used = new Set(
      sources.flatMap((source) =>
        [...source.matchAll(/\.(?:text|url)\(\s*(?:\w+\.)*t\('([\w.]+)'/g)].map((m) => m[1]!),
      ),
    );
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((key) => !(key in BUTTON_KEYS))).toEqual([]);
  });

  it('names each language in the picker within half a row', () => {
    for (const name of Object.values(LANGUAGE_NAMES)) expect(displayWidth(name), name).toBeLessThanOrEqual(WIDTH.half);
  });
});
