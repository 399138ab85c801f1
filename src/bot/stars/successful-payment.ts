import type { i18n } from 'i18next';
import type { KuotaContext } from '../context.js';
import { starsCount } from '../format.js';
import { pickLanguage } from '../i18n.js';
import { say } from '../reply.js';
import type { BotServices } from '../services.js';

/**
 * The Stars arrived: settle once, through the one settle path (the charge id decides). The
 * traveller's language is read first, so a payment that could not be recorded is still answered in it.
 */
export async function settleSuccessfulPayment(ctx: KuotaContext, services: BotServices, i18n: i18n): Promise<void> {
  const payment = ctx.message!.successful_payment!;
  const from = ctx.from!;
  const user = await services.users.ensure(from.id, from.language_code).catch(() => null);
  const language = user?.language ?? pickLanguage(from.language_code);
  const locale = { t: i18n.getFixedT(language), language, timezone: user?.timezone ?? 'UTC' };
  const outcome = await services.stars.paid({
    telegramUserId: from.id,
    chargeId: payment.telegram_payment_charge_id,
    payload: payment.invoice_payload,
    amount: payment.total_amount,
    currency: payment.currency,
    recurring: payment.is_recurring === true,
    firstRecurring: payment.is_first_recurring === true,
  });
  // "Payment received", the receipt, or the refund and why, follow through the outbox, as for every processor.
  if (outcome.status === 'unsettled')
    await say(ctx, locale.t('stars.unsettled', { stars: starsCount(locale, payment.total_amount) }));
}
