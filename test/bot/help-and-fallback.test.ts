import { Composer } from 'grammy';
import { describe, expect, it } from 'vitest';
import { fallbackFeature } from '../../src/bot/features/fallback.js';
import { helpFeature } from '../../src/bot/features/help.js';
import type { KuotaContext } from '../../src/bot/context.js';
import { featureBot } from '../helpers/bot-features.js';

const features = () => new Composer<KuotaContext>(helpFeature('@kuota_support'), fallbackFeature());

describe('help, in-process', () => {
  it('moves between help topics with buttons, each answer on one screen', async () => {
    const bot = await featureBot(features());
    const { t } = bot;
    await bot.send('/help');
    expect(bot.last()).toBe(t('help.menu'));
    for (const topic of ['store', 'precautions', 'human'] as const) {
      await bot.tapData(bot.button(t(`help.topics.${topic}.title`)));
      expect(bot.last()).toContain(t(`help.topics.${topic}.text`, { contact: '@kuota_support' }));
    }
    expect(bot.last()).toContain('@kuota_support');
    const edits = bot.calls.filter((c) => c.method === 'editMessageText');
    expect(edits.length).toBe(3); // the same screen, edited in place
    expect(edits.every((c) => String(c.payload.text).length < 1500)).toBe(true);
  });
});

describe('a tap no button answers, in-process', () => {
  it.each(['', 'junk', 'hp:no_such_topic', 'o:pay:x:z', 'st:qh:22-7', '🙂'.repeat(16)])(
    'data %j gets "this button is out of date" and the menu',
    async (data) => {
      const bot = await featureBot(features());
      await bot.tapData(data);
      expect(bot.answers()).toEqual([bot.t('common.stale_button')]);
      if (data !== 'hp:no_such_topic') expect(bot.last()).toBe(bot.t('menu.title'));
    },
  );
});
