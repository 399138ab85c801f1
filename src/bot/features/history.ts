import type { OrderView } from '../../services/orders.js';
import { Composer, InlineKeyboard } from 'grammy';
import type { KuotaContext } from '../context.js';
import { planName } from '../../domain/plan.js';
import { maskIdentifier } from '../../domain/line-identifier.js';
import { dateTime, money, starsCount } from '../format.js';
import { onTap } from '../on-tap.js';
import { CB } from '../keyboards.js';
import { orderStateLabel } from '../messages/order-state-label.js';
import { receiptMessage } from '../renewal/receipt.js';
import { replaceOrSay, say } from '../reply.js';
import type { BotServices } from '../services.js';

/** Orders with their state, and the receipt of each one again on demand. */
export async function showHistory(ctx: KuotaContext, services: BotServices, edit = false) {
  const { t } = ctx.locale;
  const orders = await services.orders.history(ctx.user.id);
  const keyboard = new InlineKeyboard();
  if (!orders.length)
    return (edit ? replaceOrSay : say)(ctx, t('history.empty'), keyboard.text(t('common.main_menu'), CB.menu('home')));
  const items = orders.map(
    (o) =>
      t('history.item', {
        order: o.orderNumber,
        date: dateTime(ctx.locale, o.createdAt),
        plan: planName({ names: o.planNames, code: o.planCode }, ctx.locale.language),
        line: maskIdentifier(o.identifier),
        price: money(ctx.locale, o.price),
        state: orderStateLabel(t, o),
      }) + paidWithText(ctx, o),
  );
  orders.forEach((o, i) => {
    keyboard.text(t('history.receipt', { order: o.orderNumber }), CB.receipt(o.orderId));
    if (i % 2 === 1) keyboard.row();
  });
  keyboard.row().text(t('common.main_menu'), CB.menu('home'));
  return (edit ? replaceOrSay : say)(ctx, `${t('history.title')}\n\n${items.join('\n\n')}`, keyboard);
}

/** History shows how each paid order was paid. */
function paidWithText(
  ctx: KuotaContext,
  o: { paidWith: OrderView['paidWith']; paymentMethod: OrderView['paymentMethod']; starsAmount: number | null },
): string {
  if (!o.paidWith) return '';
  const { t } = ctx.locale;
  if (o.paidWith !== 'stars' && o.paymentMethod)
    return `\n${t('history.paid_with.method', { method: t(`payment_method.${o.paymentMethod}`) })}`;
  return `\n${t(`history.paid_with.${o.paidWith === 'stars' ? 'stars' : 'stripe'}`, { stars: starsCount(ctx.locale, o.starsAmount) })}`;
}

export function historyFeature(services: BotServices) {
  const feature = new Composer<KuotaContext>();
  const show = (ctx: KuotaContext, edit: boolean) => showHistory(ctx, services, edit);

  feature.command('history', (ctx) => show(ctx, false));
  feature.callbackQuery(CB.menu('history'), async (ctx) => {
    await ctx.answerCallbackQuery();
    await show(ctx, true);
  });
  feature.use(
    onTap('receipt', async (ctx, orderId) => {
      const order = await services.orders.get(ctx.user.id, orderId);
      if (!order) return ctx.answerCallbackQuery(ctx.locale.t('common.stale_button'));
      await ctx.answerCallbackQuery();
      const message = receiptMessage(ctx.locale, order);
      await say(ctx, message.text, message.keyboard);
    }),
  );
  return feature;
}
