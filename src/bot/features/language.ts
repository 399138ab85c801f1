import { Composer, InlineKeyboard } from 'grammy';
import { onTap } from '../on-tap.js';
import type { i18n } from 'i18next';
import type { Logger } from '../../logger.js';
import { setChatCommandMenu } from '../command-menu.js';
import type { KuotaContext } from '../context.js';
import { LANGUAGE_NAMES, supportedLanguages } from '../i18n.js';
import { CB, mainMenu } from '../keyboards.js';
import { replaceOrSay, say } from '../reply.js';
import type { BotServices } from '../services.js';

export function languageFeature(services: BotServices, i18n: i18n, logger: Logger) {
  const feature = new Composer<KuotaContext>();
  const languages = supportedLanguages();
  const picker = () => {
    const keyboard = new InlineKeyboard();
    languages.forEach((code, i) => {
      keyboard.text(LANGUAGE_NAMES[code] ?? code, CB.language(code));
      if (i % 2 === 1) keyboard.row();
    });
    return keyboard;
  };
  feature.command('language', (ctx) => say(ctx, ctx.locale.t('language.pick'), picker()));
  feature.callbackQuery(CB.menu('lang'), async (ctx) => {
    await ctx.answerCallbackQuery();
    await replaceOrSay(ctx, ctx.locale.t('language.pick'), picker());
  });
  feature.use(
    onTap('language', async (ctx, code) => {
      if (!languages.includes(code)) return ctx.answerCallbackQuery(ctx.locale.t('common.stale_button'));
      await services.users.setLanguage(ctx.user.id, code);
      const t = i18n.getFixedT(code);
      ctx.locale = { ...ctx.locale, t, language: code };
      await ctx.answerCallbackQuery();
      if (ctx.chat) await setChatCommandMenu(ctx.api, i18n, ctx.chat.id, code, logger);
      await replaceOrSay(ctx, `${t('language.set')}\n\n${t('menu.title')}`, mainMenu(t));
    }),
  );
  return feature;
}
