import { InlineKeyboard } from 'grammy';
import { maskIdentifier } from '../../domain/line-identifier.js';
import { planName } from '../../domain/plan.js';
import type { OrderSummary } from '../../services/orders.js';
import type { StarsOffer } from '../../services/stars/stars-service.js';
import { dataAmount, dateTime, expiry, money, starsCount, type Locale } from '../format.js';
import { CB } from '../keyboards.js';
import { dataLeft } from '../usage/messages.js';
import { paymentButtons } from './payment-buttons.js';

/**
 * The order summary a traveller checks before paying, with Pay and Cancel: a button for each method
 * the summary offers, Stars' one a "Pay N Stars" invoice link. With Stars alone (`only`), a note when
 * no invoice could be made.
 */
export function orderSummaryMessage(
  l: Locale,
  summary: OrderSummary,
  now: Date,
  stars?: { offer: StarsOffer | null; only: boolean },
): { text: string; keyboard: InlineKeyboard } {
  const { t } = l;
  const masked = maskIdentifier(summary.identifier);
  const text = t('renew.summary', {
    line: summary.label ? `${summary.label} (${masked})` : masked,
    plan: planName(summary.plan, l.language),
    data: dataAmount(l, summary.plan.dataMb),
    validity: t('plan.validity', { count: summary.plan.validityDays }),
    price: money(l, summary.price),
    current: expiry(l, summary.currentExpiresAt, now),
    next: dateTime(l, summary.newExpiresAt),
    order: summary.orderNumber,
  });
  // Check the balance and the expiry before buying, as the guide says.
  const usage = dataLeft(l, summary.usage);
  const notes = [
    usage && t('renew.summary_usage', { usage }),
    summary.warning === 'no_days_left' && t('renew.warn_no_days'),
    summary.warning === 'no_extension' &&
      t('renew.warn_no_extension', { date: expiry(l, summary.currentExpiresAt, now) }),
    stars?.only && !stars.offer && t('stars.unavailable'),
  ].filter(Boolean);
  return { text: notes.length ? `${text}\n\n${notes.join('\n')}` : text, keyboard: payButtons(l, summary, stars) };
}

/**
 * Pay and Cancel: the same buttons for a renewal and a new eSIM, one for each method the summary
 * offers. Stars, offered first, open their invoice in the chat: without its link (Telegram did not
 * answer) they get no button.
 */
export function payButtons(
  l: Locale,
  summary: Pick<OrderSummary, 'orderId' | 'methods'>,
  stars?: { offer: StarsOffer | null; only: boolean },
): InlineKeyboard {
  const { t } = l;
  const keyboard = new InlineKeyboard();
  const starsOffered = summary.methods.some((o) => o.method === 'stars');
  if (starsOffered && stars?.offer)
    keyboard.url(t('stars.pay', { stars: starsCount(l, stars.offer.stars) }), stars.offer.link).row();
  paymentButtons(l, keyboard, summary.orderId, summary.methods, 'best');
  keyboard.text(t('renew.cancel'), CB.cancelOrder(summary.orderId));
  return keyboard;
}
