import type { i18n } from 'i18next';
import type { Logger } from '../../logger.js';
import type { KuotaContext } from '../context.js';
import { pickLanguage } from '../i18n.js';
import type { BotServices } from '../services.js';

/**
 * Telegram asks before it takes the Stars, and waits 10 seconds at most: the answer is a few
 * database reads. A no carries the reason in the traveller's language; Telegram shows it.
 */
export async function answerPreCheckout(
  ctx: KuotaContext,
  services: BotServices,
  i18n: i18n,
  logger: Logger,
): Promise<void> {
  const query = ctx.preCheckoutQuery!;
  let decision: Awaited<ReturnType<BotServices['stars']['preCheckout']>>;
  try {
    decision = await services.stars.preCheckout({
      telegramUserId: query.from.id,
      payload: query.invoice_payload,
      currency: query.currency,
      amount: query.total_amount,
    });
  } catch (err) {
    // Unanswered, Telegram would keep the traveller waiting 10 s; a clear no lets them try again.
    logger.error({ err, payload: query.invoice_payload }, 'pre-checkout could not be decided');
    await ctx.answerPreCheckoutQuery(false, {
      error_message: i18n.getFixedT(pickLanguage(query.from.language_code))('common.error'),
    });
    return;
  }
  if (decision.ok) {
    await ctx.answerPreCheckoutQuery(true);
    return;
  }
  const user = await services.users.ensure(query.from.id, query.from.language_code);
  await ctx.answerPreCheckoutQuery(false, {
    error_message: i18n.getFixedT(user.language)(`stars.refused.${decision.reason}`),
  });
}
