import type { i18n } from 'i18next';
import type { KuotaContext } from '../context.js';
import { starsCount } from '../format.js';
import { say } from '../reply.js';
import type { BotServices } from '../services.js';

/**
 * The Stars arrived: settle once (the charge id decides), and say so straight away. The receipt,
 * or the refund and why, follows through the outbox like any other payment's.
 */
export async function settleSuccessfulPayment(ctx: KuotaContext, services: BotServices, i18n: i18n): Promise<void> {
  const payment = ctx.message!.successful_payment!;
  const outcome = await services.stars.paid({
    telegramUserId: ctx.from!.id,
    chargeId: payment.telegram_payment_charge_id,
    payload: payment.invoice_payload,
    amount: payment.total_amount,
    currency: payment.currency,
    recurring: payment.is_recurring === true,
    firstRecurring: payment.is_first_recurring === true,
  });
  if (outcome.status !== 'settled' && outcome.status !== 'renewed') return;
  const user = await services.users.ensure(ctx.from!.id, ctx.from!.language_code);
  const locale = { t: i18n.getFixedT(user.language), language: user.language, timezone: user.timezone };
  await say(
    ctx,
    locale.t(outcome.status === 'renewed' ? 'stars.renewal_received' : 'stars.received', {
      stars: starsCount(locale, payment.total_amount),
    }),
  );
}
