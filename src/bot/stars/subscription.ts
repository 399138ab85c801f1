import { Composer, InlineKeyboard } from 'grammy';
import { onTap } from '../on-tap.js';
import { planName } from '../../domain/plan.js';
import type { KuotaContext } from '../context.js';
import { lineName, starsCount } from '../format.js';
import { CB } from '../keyboards.js';
import { subscriptionInvoiceTexts } from './messages.js';
import { replaceOrSay } from '../reply.js';
import type { BotServices } from '../services.js';

/** Auto-renew → "Renew with Stars": the invoice link of a 30-day Stars subscription for the line. */
export function starsSubscriptionFeature(services: BotServices) {
  const feature = new Composer<KuotaContext>();
  feature.use(
    onTap('starsSubscription', async (ctx, lineId) => {
      const { t } = ctx.locale;
      const line = await services.lines.get(ctx.user.id, lineId);
      const view = line && (await services.autoRenew.view(ctx.user.id, line.id));
      if (!line || !view?.plan) return ctx.answerCallbackQuery({ text: t('autorenew.gone'), show_alert: true });
      const offer = await services.stars.subscriptionOffer(
        ctx.user.id,
        line.id,
        subscriptionInvoiceTexts(ctx.locale, planName(view.plan, ctx.locale.language), lineName(line)),
      );
      if (offer.status !== 'ready')
        return ctx.answerCallbackQuery({
          text: t(`stars.subscription_status.${offer.status}`, {
            stars: starsCount(ctx.locale, 'stars' in offer ? offer.stars : 0),
          }),
          show_alert: true,
        });
      await ctx.answerCallbackQuery();
      const keyboard = new InlineKeyboard()
        .url(t('stars.subscribe_pay', { stars: starsCount(ctx.locale, offer.stars) }), offer.link)
        .row()
        .text(t('autorenew.back'), CB.autoRenew('open', line.id));
      await replaceOrSay(
        ctx,
        t('stars.subscription_offer', {
          name: lineName(line),
          plan: planName(view.plan, ctx.locale.language),
          stars: starsCount(ctx.locale, offer.stars),
        }),
        keyboard,
      );
    }),
  );
  return feature;
}
