import { isSettled, OPEN_STATES, type OrderState } from '../../domain/order-state.js';
import { parsePayload, STARS, starsPriceOf } from '../../domain/stars.js';
import { monthOf, withinCap } from '../../domain/auto-renew.js';
import { planTerms } from '../../domain/plan-terms.js';
import type { ServiceDeps } from '../deps.js';
import type { StarsOptions } from './options.js';

export type PreCheckoutQuery = { telegramUserId: number; payload: string; currency: string; amount: number };

export type PreCheckoutRefusal =
  | 'stars_off'
  | 'not_found'
  | 'already_paid'
  | 'expired'
  | 'canceled'
  | 'line_gone'
  | 'plan_unavailable'
  | 'repriced'
  | 'over_budget';
export type PreCheckoutDecision = { ok: true } | { ok: false; reason: PreCheckoutRefusal; orderId?: string };

/**
 * Telegram's last question before it takes the Stars (answered within 10 s): yes only for an order
 * that can still be paid, at the price frozen in it, for a line still linked. Reads only.
 */
export async function decidePreCheckout(
  deps: Pick<ServiceDeps, 'db' | 'now'> & {
    options: StarsOptions;
    monthSpend: (lineId: string, month: string) => Promise<{ amountMinor: number }>;
  },
  query: PreCheckoutQuery,
): Promise<PreCheckoutDecision> {
  const { db, now, options } = deps;
  const target = parsePayload(query.payload);
  if (!target) return { ok: false, reason: 'not_found' };
  const orderId = target.kind === 'order' ? target.orderId : target.nonce;
  const order = await db.order.findUnique({ where: { id: orderId }, include: { plan: true, line: true, user: true } });
  if (!order || order.user.telegramId !== BigInt(query.telegramUserId)) return { ok: false, reason: 'not_found' };
  const refuse = (reason: PreCheckoutRefusal): PreCheckoutDecision => ({ ok: false, reason, orderId: order.id });

  const state = order.state as OrderState;
  if (isSettled(state)) return refuse('already_paid');
  if (state === 'canceled') return refuse('canceled');
  if (!OPEN_STATES.includes(state)) return refuse('expired');
  if (now().getTime() - order.createdAt.getTime() > options.invoiceMinutes * 60_000) return refuse('expired');
  if (order.line.unlinkedAt) return refuse('line_gone');
  // An auto-renew order pays for one period: once the line was renewed another way, it is stale.
  if (order.source === 'auto_renew' && order.line.expiresAt?.getTime() !== order.previousExpiresAt?.getTime())
    return refuse('expired');
  if (!order.plan.active) return refuse('plan_unavailable');
  // The traveller confirmed the summary's terms; the catalog has moved since (price, data, validity).
  // (Whether the second price was part of them is in the terms' own shape, so either reading may match.)
  if (order.planTerms && ![planTerms(order.plan, true), planTerms(order.plan, false)].includes(order.planTerms))
    return refuse('repriced');
  if (query.currency !== STARS || order.starsAmount === null || query.amount !== order.starsAmount)
    return refuse('repriced');
  if (starsPriceOf(order.plan, options.rates) !== order.starsAmount) return refuse('repriced');

  if (target.kind === 'subscription') {
    const ar = await db.autoRenew.findUnique({ where: { id: target.autoRenewId } });
    if (!ar || ar.lineId !== order.lineId || ar.starsPayload !== query.payload || ar.state === 'off')
      return refuse('not_found');
    if (ar.starsChargeId) return refuse('already_paid');
    const spent = await deps.monthSpend(order.lineId, monthOf(now(), order.user.timezone));
    if (!withinCap(spent.amountMinor, order.amountMinor, ar.capMinor)) return refuse('over_budget');
  }
  return { ok: true };
}
