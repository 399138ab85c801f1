import { orderNumber } from '../domain/order-state.js';
import type { Logger } from '../logger.js';
import type { OrderStep as Step } from '../services/order-timeline.js';
import type { Metrics } from './metrics.js';

const LINES: Partial<Record<Step['kind'], string>> = {
  drafted: 'order drafted',
  checkout_created: 'checkout created',
  payment_paid: 'order paid',
  topup_requested: 'top-up requested',
  topup_status: 'top-up result',
  refunded: 'order refunded',
  operator_refund: 'refund asked by an operator',
  receipt_sent: 'receipt sent',
};

/**
 * One info line per step of an order (its id and number, the traveller's id; no personal data: no
 * phone number, no code, no Telegram id),
 * and the counters that follow them: payments by method, top-ups by result and latency, refunds.
 */
export function createOrderStepLog(logger: Logger, metrics: Metrics) {
  const paidAt = new Map<string, number>();
  return (step: Step) => {
    const line = LINES[step.kind];
    if (!line) return;
    const d = step.detail ?? {};
    const fields: Record<string, unknown> = {
      orderId: step.orderId,
      order: orderNumber(step.orderId),
      travellerId: step.travellerId,
      step: step.kind,
    };
    metrics.orderSteps.inc({ step: step.kind });
    if (step.kind === 'payment_paid') {
      if (d.applied === false) return;
      const method = typeof d.method === 'string' ? d.method : d.offSession ? 'off_session' : 'stripe';
      Object.assign(fields, { method, amountMinor: d.amountMinor, currency: d.currency });
      metrics.payments.inc({ method });
      paidAt.set(step.orderId, Date.now());
    }
    if (step.kind === 'topup_requested') Object.assign(fields, { provider: d.provider, how: d.how });
    if (step.kind === 'topup_status') {
      const result = String(d.status);
      const since = paidAt.get(step.orderId);
      metrics.topUps.observe({ result }, since === undefined ? 0 : (Date.now() - since) / 1000);
      if (result !== 'pending') paidAt.delete(step.orderId);
      Object.assign(fields, { result, reason: d.reason });
    }
    if (step.kind === 'refunded') {
      metrics.refunds.inc({ method: d.method === 'stars' ? 'stars' : 'stripe' });
      fields.reason = d.reason;
    }
    logger.info(fields, line);
  };
}
