import { Composer } from 'grammy';
import type { KuotaContext } from '../context.js';
import { orderIdFromStart } from '../deep-link.js';
import { backToMenu } from '../keyboards.js';
import { orderStatusMessage } from '../renewal/order-status.js';
import { say } from '../reply.js';
import type { BotServices } from '../services.js';

/** /start o_<order>: where Stripe sends the traveller back. Answers with that order's state, for its own traveller only. */
export function orderLinkFeature(services: BotServices) {
  const feature = new Composer<KuotaContext>();
  feature.command('start', async (ctx, next) => {
    const orderId = orderIdFromStart(ctx.match);
    if (!orderId) return next();
    const order = await services.orders.get(ctx.user.id, orderId);
    if (!order) return say(ctx, ctx.locale.t('order.not_found'), backToMenu(ctx.locale.t));
    const message = orderStatusMessage(ctx.locale, order);
    return say(ctx, message.text, message.keyboard ?? backToMenu(ctx.locale.t));
  });
  return feature;
}
