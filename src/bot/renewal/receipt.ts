import { InlineKeyboard } from 'grammy';
import { maskIdentifier } from '../../domain/line-identifier.js';
import { planName } from '../../domain/plan.js';
import type { OrderView } from '../../services/orders.js';
import { dateTime, money, type Locale } from '../format.js';
import { orderStateLabel } from '../messages/order-state-label.js';

/** A receipt for a fulfilled order; for any other order, where it stands. */
export function receiptMessage(l: Locale, order: OrderView): { text: string; keyboard?: InlineKeyboard } {
  const { t } = l;
  if (order.state !== 'fulfilled')
    return { text: t('receipt.pending', { order: order.orderNumber, state: orderStateLabel(t, order) }) };
  const text = t(order.newEsim ? 'esim.receipt' : 'receipt.text', {
    order: order.orderNumber,
    line: maskIdentifier(order.identifier),
    plan: planName({ names: order.planNames, code: order.planCode }, l.language),
    price: money(l, order.price),
    expiry: order.newExpiresAt ? dateTime(l, order.newExpiresAt) : '—',
    date: dateTime(l, order.createdAt),
  });
  return {
    text: order.autoCharged ? `${text}\n\n${t('autorenew.receipt_note')}` : text,
    keyboard: order.receiptUrl ? new InlineKeyboard().url(t('receipt.stripe_button'), order.receiptUrl) : undefined,
  };
}
