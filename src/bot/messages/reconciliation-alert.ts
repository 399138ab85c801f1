import type { Db } from '../../adapters/db/client.js';
import { orderNumber } from '../../domain/order-state.js';
import { STARS } from '../../domain/stars.js';
import { money, processorName, starsCount, type Locale } from '../format.js';

/** An operator's alert about one reconciliation issue, read when it is sent; null once the issue is gone. */
export async function renderReconciliationAlert(db: Db, l: Locale, issueId: string): Promise<string | null> {
  const issue = await db.reconciliationIssue.findUnique({ where: { id: issueId } });
  if (!issue) return null;
  const amount =
    issue.currency === STARS
      ? l.t('stars.amount', { stars: starsCount(l, issue.amountMinor) })
      : money(l, { amountMinor: issue.amountMinor, currency: issue.currency });
  const text = l.t(`operator.reconciliation.${issue.kind}`, {
    processor: processorName(l, issue.processor),
    amount,
    id: issue.externalId,
    order: issue.orderId ? orderNumber(issue.orderId) : '—',
  });
  return `${text}\n\n${l.t('operator.reconciliation.see_console')}`;
}
