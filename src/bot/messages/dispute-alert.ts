import type { Db } from '../../adapters/db/client.js';
import { maskIdentifier } from '../../domain/line-identifier.js';
import { orderNumber } from '../../domain/order-state.js';
import { planName } from '../../domain/plan.js';
import { money, type Locale } from '../format.js';

type Payload = { disputeId: string; orderId: string | null; amountMinor: number; currency: string; reason: string };

/** An operator's alert about a disputed payment, with the order it belongs to when Kuota knows it. */
export async function renderDisputeAlert(db: Db, l: Locale, payload: Payload): Promise<string> {
  const order = payload.orderId
    ? await db.order.findUnique({ where: { id: payload.orderId }, include: { plan: true, line: true } })
    : null;
  return l.t('admin.dispute', {
    amount: money(l, { amountMinor: payload.amountMinor, currency: payload.currency }),
    reason: payload.reason,
    order: order
      ? `${orderNumber(order.id)} · ${planName({ names: order.plan.names as Record<string, string>, code: order.plan.code }, l.language)} · ${maskIdentifier(order.line.identifier)}`
      : '—',
    dispute: payload.disputeId,
  });
}
