import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/bot/i18n.js';
import { plain } from '../../src/bot/keyboards.js';

describe('translations remembered per language', async () => {
  const i18n = await createI18n();

  it('says the same as i18next for the same key and values, and something else for other values', () => {
    const ru = i18n.getFixedT('ru');
    // The same call twice, and plurals that differ only by count: each keeps its own form.
    expect(ru('plan.validity', { count: 1 })).toBe('1 день');
    expect(ru('plan.validity', { count: 3 })).toBe('3 дня');
    expect(ru('plan.validity', { count: 5 })).toBe('5 дней');
    expect(ru('plan.validity', { count: 1 })).toBe('1 день');
    expect(i18n.getFixedT('en')('plan.validity', { count: 1 })).toBe('1 day');
  });

  it('keeps escaped message text and plain button text apart', () => {
    const en = i18n.getFixedT('en');
    const values = { name: 'Mom & Dad <3', data: '2 GB', validity: '1 day', price: 'IDR 5,000' };
    expect(en('plan.button', values)).toContain('Mom &amp; Dad &lt;3');
    expect(plain(en)('plan.button', values)).toContain('Mom & Dad <3');
    expect(en('plan.button', values)).toContain('Mom &amp; Dad &lt;3');
  });

  it('translates values it cannot describe as JSON afresh each time', () => {
    const en = i18n.getFixedT('en');
    const at = (day: number) => ({ name: 'A', data: 'x', validity: 'y', price: { toString: () => `day ${day}` } });
    expect(en('plan.button', at(1) as never)).toContain('day 1');
    expect(en('plan.button', at(2) as never)).toContain('day 2');
  });

  it('hands out one translator per language, which knows its language', () => {
    expect(i18n.getFixedT('id')).toBe(i18n.getFixedT('id'));
    expect((i18n.getFixedT('id') as unknown as { lng: string }).lng).toBe('id');
    expect(i18n.getFixedT('id')('menu.renew')).not.toBe(i18n.getFixedT('en')('menu.renew'));
  });
});
