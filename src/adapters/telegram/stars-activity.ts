import type { Api } from 'grammy';
import type { TransactionPartner } from 'grammy/types';
import { starsMoney } from '../../domain/stars.js';
import type { ProcessorActivity, ReportedPayment, ReportedRefund } from '../../services/ports/reconciliation.js';

/**
 * What moved in Stars, for reconciliation, from getStarTransactions (newest first, paged by offset):
 * a user's invoice payment is money in; the same id with the user as receiver is its refund.
 */
export class StarsActivity implements ProcessorActivity {
  readonly processor = 'stars' as const;

  constructor(
    private readonly api: Api,
    /** Transactions a page (the Bot API allows 1–100). */
    private readonly pageSize = 100,
  ) {}

  async since(from: Date): Promise<{ payments: ReportedPayment[]; refunds: ReportedRefund[] }> {
    const payments: ReportedPayment[] = [];
    const refunds: ReportedRefund[] = [];
    const after = Math.floor(from.getTime() / 1000);
    for (let offset = 0; ; offset += this.pageSize) {
      const { transactions } = await this.api.getStarTransactions({ offset, limit: this.pageSize });
      for (const tx of transactions) {
        if (tx.date < after) return { payments, refunds };
        const at = new Date(tx.date * 1000);
        const payer = invoicePartner(tx.source);
        if (payer)
          payments.push({
            externalId: tx.id,
            amount: starsMoney(tx.amount),
            at,
            method: 'stars',
            orderId: null,
            stars: {
              telegramUserId: payer.user.id,
              payload: payer.invoice_payload ?? '',
              recurring: !!payer.subscription_period,
            },
          });
        if (invoicePartner(tx.receiver))
          refunds.push({
            externalId: `refund:${tx.id}`,
            paymentId: tx.id,
            amount: starsMoney(tx.amount),
            at,
            orderId: null,
          });
      }
      if (transactions.length < this.pageSize) return { payments, refunds };
    }
  }
}

function invoicePartner(partner: TransactionPartner | undefined) {
  return partner?.type === 'user' && partner.transaction_type === 'invoice_payment' ? partner : null;
}
