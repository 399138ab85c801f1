import { Composer, InlineKeyboard } from 'grammy';
import { onTap } from '../on-tap.js';
import { cutGraphemes } from '../../domain/text.js';
import { localized } from '../../services/notices/notices.js';
import type { KuotaContext } from '../context.js';
import { DEFAULT_LANGUAGE } from '../i18n.js';
import { dateTime } from '../format.js';
import { CB } from '../keyboards.js';
import { replaceOrSay, say } from '../reply.js';
import type { BotServices } from '../services.js';

/** /notices for travellers: the operator's recent announcements, each readable in full. */
export function noticesFeature(services: BotServices) {
  const feature = new Composer<KuotaContext>();

  const list = async (ctx: KuotaContext, edit: boolean) => {
    const { t } = ctx.locale;
    const notices = await services.notices.recent(10);
    const keyboard = new InlineKeyboard();
    if (!notices.length)
      return (edit ? replaceOrSay : say)(
        ctx,
        t('notices.empty'),
        keyboard.text(t('common.main_menu'), CB.menu('home')),
      );
    for (const n of notices) {
      keyboard
        .text(
          cutGraphemes(
            `${dateTime(ctx.locale, n.publishedAt).split(',')[0]} · ${localized(n.titles, ctx.locale.language, DEFAULT_LANGUAGE)}`,
            60,
          ),
          CB.notice(n.id),
        )
        .row();
    }
    keyboard.text(t('common.main_menu'), CB.menu('home'));
    return (edit ? replaceOrSay : say)(ctx, t('notices.title'), keyboard);
  };

  feature.command('notices', (ctx) => list(ctx, false));
  feature.callbackQuery(CB.menu('notices'), async (ctx) => {
    await ctx.answerCallbackQuery();
    await list(ctx, false);
  });
  feature.use(
    onTap('notice', async (ctx, noticeId) => {
      const { t } = ctx.locale;
      const notice = await services.notices.get(noticeId);
      if (!notice) return ctx.answerCallbackQuery(t('common.stale_button'));
      await ctx.answerCallbackQuery();
      const text = t('notices.read', {
        title: localized(notice.titles, ctx.locale.language, DEFAULT_LANGUAGE),
        body: localized(notice.bodies, ctx.locale.language, DEFAULT_LANGUAGE),
        date: dateTime(ctx.locale, notice.publishedAt),
      });
      await say(ctx, text, new InlineKeyboard().text(t('notices.all'), CB.menu('notices')));
    }),
  );
  return feature;
}
