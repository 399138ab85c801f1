import type { OrderSummary } from '../../services/orders.js';
import type { Locale } from '../format.js';
import type { BotServices } from '../services.js';
import { starsInvoiceTexts } from '../stars/messages.js';
import { orderSummaryMessage } from './order-summary.js';

/**
 * The order summary outside the renewal conversation (a reminder's Renew now, a plan changed at Pay),
 * with the Stars invoice link when Stars are offered: with Stars alone (STARS_PAYMENTS=only) it is the
 * only way to pay, and a summary without it would leave the traveller nothing but Cancel.
 */
export async function summaryWithStars(
  services: Pick<BotServices, 'stars'>,
  locale: Locale,
  userId: string,
  summary: OrderSummary,
  at: Date,
) {
  const offer = summary.methods.some((o) => o.method === 'stars')
    ? await services.stars.offer(userId, summary.orderId, starsInvoiceTexts(locale, summary))
    : null;
  return orderSummaryMessage(locale, summary, at, { offer, only: services.stars.only });
}
