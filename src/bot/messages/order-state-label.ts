import type { TFunction } from 'i18next';
import type { OrderView } from '../../services/orders.js';

/** States whose renewal wording ("renewing the plan") would be wrong for a new eSIM. */
const ESIM_WORDED = new Set(['paid', 'topping_up', 'refunding']);

/** An order's state as the traveller reads it: a new eSIM is delivered, not renewed. */
export function orderStateLabel(t: TFunction, order: Pick<OrderView, 'state' | 'newEsim'>): string {
  return t(order.newEsim && ESIM_WORDED.has(order.state) ? `esim.state.${order.state}` : `state.${order.state}`);
}
