import { Composer, InlineKeyboard } from 'grammy';
import { onTap } from '../on-tap.js';
import { isSettled } from '../../domain/order-state.js';
import { escapeHtml } from '../../escape-html.js';
import type { KuotaContext } from '../context.js';
import { dateTime, money } from '../format.js';
import { backToMenu, CB } from '../keyboards.js';
import { summaryWithStars } from './summary-with-stars.js';
import { paymentButtons } from './payment-buttons.js';
import { replaceOrSay } from '../reply.js';
import type { BotServices } from '../services.js';

/** The summary's buttons: pay (one order, one link, however often tapped) or cancel. */
export function checkoutFeature(services: BotServices, now: () => Date) {
  const feature = new Composer<KuotaContext>();

  // Every way to pay, for "Other ways to pay": the same message, its keyboard grown.
  feature.use(
    onTap('moreMethods', async (ctx, orderId) => {
      const offers = await services.orders.methods(ctx.user.id, orderId, ctx.locale.language);
      if (!offers.length)
        return ctx.answerCallbackQuery({ text: ctx.locale.t('common.stale_button'), show_alert: true });
      await ctx.answerCallbackQuery();
      const keyboard = paymentButtons(ctx.locale, new InlineKeyboard(), orderId, offers, 'all').text(
        ctx.locale.t('renew.cancel'),
        CB.cancelOrder(orderId),
      );
      await ctx.editMessageReplyMarkup({ reply_markup: keyboard }).catch(() => undefined);
    }),
  );

  feature.use(
    onTap('pay', async (ctx, orderId, method) => {
      const { t } = ctx.locale;
      const choice = method === 'a' ? 'alt' : method === 'm' ? 'main' : method;
      const result = await services.orders.checkout(ctx.user.id, orderId, choice, ctx.locale.language);
      // The message that holds the Pay button (or link) is the one to edit once the order is paid, refunded or expired.
      const remember = (id: string, shown: Awaited<ReturnType<typeof replaceOrSay>>) =>
        typeof shown === 'object'
          ? services.orders.rememberSummary(ctx.user.id, id, shown.chat.id, shown.message_id)
          : undefined;
      if (result.status === 'plan_changed') {
        await ctx.answerCallbackQuery();
        const fresh = await summaryWithStars(services, ctx.locale, ctx.user.id, result.summary, now());
        return remember(
          result.summary.orderId,
          await replaceOrSay(ctx, `${t('renew.plan_changed')}\n\n${fresh.text}`, fresh.keyboard),
        );
      }
      if (result.status === 'method_unavailable') {
        // Never an error: the traveller gets the ways to pay that are left.
        await ctx.answerCallbackQuery({ text: t('renew.method_unavailable'), show_alert: true });
        const keyboard = paymentButtons(ctx.locale, new InlineKeyboard(), orderId, result.methods, 'all').text(
          t('renew.cancel'),
          CB.cancelOrder(orderId),
        );
        return ctx.editMessageReplyMarkup({ reply_markup: keyboard }).catch(() => undefined);
      }
      if (result.status !== 'ready') {
        const key = result.status === 'not_found' ? 'common.stale_button' : `renew.${result.status}`;
        await ctx.answerCallbackQuery({ text: t(key), show_alert: true });
        if (result.status === 'payment_unavailable') return;
        // A plan switched off since the summary: another plan is one tap away.
        const next =
          result.status === 'plan_unavailable'
            ? new InlineKeyboard()
                .text(t('menu.renew'), CB.menu('renew'))
                .row()
                .text(t('common.main_menu'), CB.menu('home'))
            : backToMenu(t);
        return ctx.editMessageReplyMarkup({ reply_markup: next }).catch(() => undefined);
      }
      await ctx.answerCallbackQuery();
      const price = money(ctx.locale, result.price);
      const keyboard = new InlineKeyboard().url(t('renew.pay_button', { price }), result.url).row();
      // Another way to pay stays one tap away: it gets its own page, and this one is closed.
      // Stars are paid by their invoice link, not a page: only another page method makes a choice here.
      const pages = (await services.orders.methods(ctx.user.id, orderId, ctx.locale.language)).filter(
        (o) => o.method !== 'stars',
      );
      if (pages.length > 1) keyboard.text(t('renew.more_methods'), CB.moreMethods(orderId));
      const shown =
        ctx.callbackQuery.message && 'text' in ctx.callbackQuery.message ? ctx.callbackQuery.message.text : '';
      // The summary without the line about an earlier page, when the traveller picked another method.
      const earlier = t('renew.pay_link', { until: '\u0000' }).split('\u0000')[0]!;
      const summary = shown ? `${shown.split(`\n\n${earlier}`)[0]}\n\n` : '';
      await remember(
        orderId,
        await replaceOrSay(
          ctx,
          `${escapeHtml(summary)}${t('renew.pay_link', { until: dateTime(ctx.locale, result.expiresAt) })}`,
          keyboard,
        ),
      );
    }),
  );

  feature.use(
    onTap('cancelOrder', async (ctx, orderId) => {
      const { t } = ctx.locale;
      const canceled = await services.orders.cancel(ctx.user.id, orderId);
      if (!canceled) {
        const order = await services.orders.get(ctx.user.id, orderId);
        const key = order && isSettled(order.state) ? 'renew.already_paid' : 'common.stale_button';
        return ctx.answerCallbackQuery({ text: t(key), show_alert: true });
      }
      await ctx.answerCallbackQuery();
      await replaceOrSay(ctx, t('renew.order_canceled'), backToMenu(t));
    }),
  );

  return feature;
}
