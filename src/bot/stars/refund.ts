import { Composer } from 'grammy';
import type { KuotaContext } from '../context.js';
import { money, starsCount } from '../format.js';
import { say } from '../reply.js';
import type { BotServices } from '../services.js';
import { operatorsOnly, refusedForRole } from '../features/operator-roles.js';

/** Owners only: /refund KU-XXXXXXXX gives an order's money back, in Stars or through Stripe (safe to send twice). */
export function starsRefundFeature(services: BotServices) {
  const feature = new Composer<KuotaContext>();
  const { operators } = services.operator;
  operatorsOnly(feature, operators).command('refund', async (ctx) => {
    const { t } = ctx.locale;
    if (await refusedForRole(ctx, operators, 'refund')) return;
    const reference = ctx.match.trim();
    if (!reference) return say(ctx, t('stars.operator.usage'));
    const result = await services.stars.refundOrder(reference, ctx.from!.id);
    if (result.status === 'not_found') return say(ctx, t('stars.operator.not_found', { order: reference }));
    const amount =
      result.paidWith === 'stars'
        ? t('stars.amount', { stars: starsCount(ctx.locale, result.stars) })
        : money(ctx.locale, result.price);
    await say(ctx, t(`stars.operator.${result.status}`, { order: result.orderNumber, amount }));
  });
  return feature;
}
