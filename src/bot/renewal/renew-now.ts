import { Composer } from 'grammy';
import { onTap } from '../on-tap.js';
import type { KuotaContext } from '../context.js';
import { summaryWithStars } from './summary-with-stars.js';
import { say } from '../reply.js';
import type { BotServices } from '../services.js';

/**
 * "Renew now" on a reminder: the order summary for the line's last plan in one tap; with no
 * last plan (or one no longer sold), the renewal starts at the plan list for that line.
 */
export function renewNowFeature(
  services: BotServices,
  now: () => Date,
  enterRenew: (ctx: KuotaContext, lineId: string) => Promise<unknown>,
) {
  const feature = new Composer<KuotaContext>();
  feature.use(
    onTap('renewNow', async (ctx, lineId) => {
      const line = await services.lines.get(ctx.user.id, lineId);
      if (!line) return ctx.answerCallbackQuery({ text: ctx.locale.t('lines.gone'), show_alert: true });
      await ctx.answerCallbackQuery();
      const summary = line.planCode
        ? await services.orders.draft(ctx.user.id, line.id, line.planCode, 'reminder')
        : null;
      if (!summary || 'error' in summary) return enterRenew(ctx, line.id);
      const message = await summaryWithStars(services, ctx.locale, ctx.user.id, summary, now());
      await say(ctx, message.text, message.keyboard);
    }),
  );
  return feature;
}
