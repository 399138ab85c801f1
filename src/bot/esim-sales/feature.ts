import { Composer, InlineKeyboard } from 'grammy';
import { matchDestination } from '../../domain/destinations.js';
import { planName } from '../../domain/plan.js';
import type { KuotaContext } from '../context.js';
import { dateTime, money } from '../format.js';
import { CB, plain } from '../keyboards.js';
import { onTap } from '../on-tap.js';
import { esimStepsMessage } from './delivery.js';
import { say } from '../reply.js';
import type { BotServices } from '../services.js';

/** "esim japan", "日本 eSIM", "eSIM Jepang", "일본 이심", or just "esim": the words that ask for a new eSIM. */
const ESIM_WORDS = /e[\s-]?sim|이심|イーシム|eシム/iu;
const ONLY_ESIM = /^\s*(buy|beli|买|買|구매|ซื้อ|mua|купить)?\s*(an?\s+)?(e[\s-]?sim|이심|イーシム|eシム)\s*$/iu;

/**
 * The ways into buying a new eSIM: the menu's "Buy an eSIM", /esim, and typed words naming an eSIM
 * and a place; and "send the install details again" (never a second order).
 */
export function buyEsimFeature(services: BotServices, enter: (ctx: KuotaContext, query?: string) => Promise<void>) {
  const feature = new Composer<KuotaContext>();
  // An operator's /esim is the partner's status (esim-partner.ts); they buy from the menu like anyone.
  feature.command('esim', async (ctx, next) =>
    (await services.operator.operators.roleOf(ctx.from?.id ?? 0)) ? next() : enter(ctx, ctx.match.trim() || undefined),
  );
  feature.callbackQuery(CB.menu('esim'), async (ctx) => {
    await ctx.answerCallbackQuery();
    await enter(ctx);
  });
  feature.use(
    onTap('esimResend', async (ctx, orderId) => {
      const sent = await services.newEsims.install.resend(ctx.user.id, orderId);
      await ctx.answerCallbackQuery({ text: ctx.locale.t(sent ? 'esim.resending' : 'common.stale_button') });
    }),
  );
  // "Installation help" under "not installed yet": this eSIM's own steps (the partner's, in the traveller's
  // language where it has them), not the general help on renewing an eSIM.
  feature.use(
    onTap('esimSteps', async (ctx, orderId) => {
      const details = await services.newEsims.install.forOrder(ctx.user.id, orderId, ctx.locale.language);
      if (!details) return ctx.answerCallbackQuery({ text: ctx.locale.t('common.stale_button') });
      await ctx.answerCallbackQuery();
      await say(ctx, esimStepsMessage(ctx.locale, details));
    }),
  );
  feature.use(
    onTap('esimRefund', async (ctx, step, orderId) => {
      const { t } = ctx.locale;
      const order = await services.orders.get(ctx.user.id, orderId);
      if (!order?.newEsim) return ctx.answerCallbackQuery({ text: t('common.stale_button') });
      const params = {
        order: order.orderNumber,
        plan: planName({ names: order.planNames, code: order.planCode }, ctx.locale.language),
        price: money(ctx.locale, order.price),
      };
      await ctx.answerCallbackQuery();
      if (step === 'ask') {
        const label = plain(t);
        return say(
          ctx,
          t('esim.refund_confirm', params),
          new InlineKeyboard()
            .text(label('esim.refund_yes'), CB.esimRefund('yes', orderId))
            .row()
            .text(label('esim.refund_keep'), CB.menu('home')),
        );
      }
      const outcome = await services.newEsims.afterSale.refund(orderId, 'system', ctx.user.id);
      if (outcome === 'esim_installed') return say(ctx, t('esim.refund_installed', params));
      if (outcome === 'esim_window_passed') {
        const until = await services.newEsims.afterSale.refundableUntil(orderId);
        return say(ctx, t('esim.refund_window_passed', { ...params, date: until ? dateTime(ctx.locale, until) : '—' }));
      }
      if (outcome === 'esim_partner_refused') return say(ctx, t('esim.refund_partner_refused', params));
      // Refunded, or under way: the refund message follows from the outbox once the money has gone back.
      if (outcome === 'refunding') return say(ctx, t('esim.refund_under_way', params));
    }),
  );
  feature.on('message:text', async (ctx, next) => {
    const text = ctx.message.text;
    if (text.startsWith('/') || !ESIM_WORDS.test(text) || text.length > 100) return next();
    if (ONLY_ESIM.test(text)) return enter(ctx);
    if (!matchDestination(text).ok) return next();
    return enter(ctx, text);
  });
  return feature;
}
