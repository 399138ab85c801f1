import type { InlineKeyboard } from 'grammy';
import type { MethodOffer } from '../../domain/payment-choice.js';
import { money, type Locale } from '../format.js';
import { CB } from '../keyboards.js';

/** As many ways to pay as a phone shows at a glance; the rest sit behind "Other ways to pay". */
const FIRST_METHODS = 3;

/** A method's button: the card's says it pays by card (its own key, with the price), every other method its name and price. */
export function methodButtonText(l: Locale, offer: MethodOffer): string {
  const price = money(l, offer.price);
  return offer.method === 'card'
    ? l.t('renew.pay_card', { price })
    : l.t('renew.pay_with', { method: l.t(`payment_method.${offer.method}`), price });
}

/**
 * The Pay buttons of the methods paid on a page, one per row, best first: `best` shows the first few
 * and "Other ways to pay" when there are more; `all` lists every one. Stars are paid by their invoice
 * link, not a page: payButtons (order-summary.ts) gives them their own button.
 */
export function paymentButtons(
  l: Locale,
  keyboard: InlineKeyboard,
  orderId: string,
  all: readonly MethodOffer[],
  show: 'best' | 'all',
): InlineKeyboard {
  const offers = all.filter((o) => o.method !== 'stars');
  const fits = show === 'all' || offers.length <= FIRST_METHODS + 1;
  for (const offer of fits ? offers : offers.slice(0, FIRST_METHODS))
    keyboard.text(methodButtonText(l, offer), CB.pay(orderId, offer.method)).row();
  if (!fits) keyboard.text(l.t('renew.more_methods'), CB.moreMethods(orderId)).row();
  return keyboard;
}
