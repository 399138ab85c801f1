import type { i18n } from 'i18next';
import type { KuotaContext } from '../context.js';
import type { BotServices } from '../services.js';

/**
 * Telegram asks before it takes the Stars, and waits 10 seconds at most: the answer is a few
 * database reads. A no carries the reason in the traveller's language; Telegram shows it.
 */
export async function answerPreCheckout(ctx: KuotaContext, services: BotServices, i18n: i18n): Promise<void> {
  const query = ctx.preCheckoutQuery!;
  const decision = await services.stars.preCheckout({ telegramUserId: query.from.id, payload: query.invoice_payload, currency: query.currency, amount: query.total_amount });
  if (decision.ok) {
    await ctx.answerPreCheckoutQuery(true);
    return;
  }
  const user = await services.users.ensure(query.from.id, query.from.language_code);
  await ctx.answerPreCheckoutQuery(false, { error_message: i18n.getFixedT(user.language)(`stars.refused.${decision.reason}`) });
}
