import { maskIdentifier } from '../../domain/line-identifier.js';
import { planName } from '../../domain/plan.js';
import type { OrderView } from '../../services/orders.js';
import { money, type Locale } from '../format.js';
import { orderStateLabel } from '../messages/order-state-label.js';
import { receiptMessage } from './receipt.js';

/** Where an order stands, in a few lines: the receipt once the top-up is applied. */
export function orderStatusMessage(l: Locale, order: OrderView): ReturnType<typeof receiptMessage> {
  if (order.state === 'fulfilled') return receiptMessage(l, order);
  const { t } = l;
  return {
    text: t(order.newEsim ? 'esim.order_status' : 'order.status', {
      order: order.orderNumber,
      plan: planName({ names: order.planNames, code: order.planCode }, l.language),
      line: maskIdentifier(order.identifier),
      price: money(l, order.price),
      state: orderStateLabel(t, order),
    }),
  };
}
