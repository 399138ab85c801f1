import { InlineKeyboard } from 'grammy';
import type { Db } from '../../adapters/db/client.js';
import { maskIdentifier } from '../../domain/line-identifier.js';
import { orderNumber } from '../../domain/order-state.js';
import { planName } from '../../domain/plan.js';
import type { OrderSummary } from '../../services/orders.js';
import type { InvoiceTexts } from '../../services/stars/stars-service.js';
import { lineName, starsCount, type Locale } from '../format.js';
import { CB } from '../keyboards.js';

// Telegram's payment sheet shows plain text: a plan called "Mom & Dad" must not read "Mom &amp; Dad".
const plainText = { interpolation: { escapeValue: false } };

/** What Telegram's payment sheet shows: the plan, and which line for how long, in the traveller's language. */
export function starsInvoiceTexts(
  l: Locale,
  summary: Pick<OrderSummary, 'plan' | 'identifier' | 'orderNumber'>,
): InvoiceTexts {
  const plan = planName(summary.plan, l.language);
  return {
    title: plan,
    description: l.t('stars.invoice_description', {
      plan,
      line: maskIdentifier(summary.identifier),
      validity: l.t('plan.validity', { count: summary.plan.validityDays }),
      order: summary.orderNumber,
      ...plainText,
    }),
  };
}

/** The sheet for a line's auto-renew subscription. */
export function subscriptionInvoiceTexts(l: Locale, plan: string, line: string): InvoiceTexts {
  return {
    title: l.t('stars.subscription_title'),
    description: l.t('stars.subscription_description', { plan, line, ...plainText }),
  };
}

/** Outbox messages about Stars: a refund and why, a subscription started. null when nothing is left to say. */
export async function renderStarsMessage(
  db: Db,
  l: Locale,
  kind: string,
  payload: { chargeId?: string; lineId?: string; stars?: number },
): Promise<{ text: string; keyboard?: InlineKeyboard } | null> {
  const { t } = l;
  if (kind === 'stars_subscribed') {
    const ar = await db.autoRenew.findUnique({ where: { lineId: payload.lineId! }, include: { line: true } });
    if (!ar || ar.state === 'off') return null;
    const plan = await db.plan.findUnique({ where: { code: ar.planCode } });
    return {
      text: t('stars.subscribed', {
        name: lineName(ar.line),
        stars: starsCount(l, payload.stars ?? 0),
        plan: plan
          ? planName({ names: plan.names as Record<string, string>, code: plan.code }, l.language)
          : ar.planCode,
      }),
      keyboard: new InlineKeyboard().text(t('autorenew.back'), CB.menu('numbers')),
    };
  }
  if (kind !== 'stars_refunded' || !payload.chargeId) return null;
  const payment = await db.starsPayment.findUnique({ where: { chargeId: payload.chargeId } });
  if (!payment || payment.outcome !== 'refunded') return null;
  const order = payment.orderId ? await db.order.findUnique({ where: { id: payment.orderId } }) : null;
  const reason = payment.refundReason ?? 'not_payable';
  return {
    text: t(`stars.refunded.${reason}`, {
      stars: starsCount(l, payment.amount),
      order: order ? orderNumber(order.id) : '—',
    }),
    keyboard: new InlineKeyboard().text(t('menu.history'), CB.menu('history')),
  };
}
