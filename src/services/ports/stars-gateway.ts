/** An invoice in Stars: one price, the payload that comes back with the payment. */
export type StarsInvoice = {
  title: string;
  description: string;
  payload: string;
  amount: number;
  /** A 30-day subscription instead of one payment. */ subscription: boolean;
};

/** What Kuota needs of Telegram to be paid in Stars; the adapter speaks the Bot API. */
export interface StarsGateway {
  createInvoiceLink(invoice: StarsInvoice): Promise<string>;
  /** Gives the Stars back; a payment Telegram says was already refunded counts as done. */
  refund(telegramUserId: number, chargeId: string): Promise<void>;
  /** Stops a subscription from renewing (it stays active to the end of the period paid). */
  cancelSubscription(telegramUserId: number, chargeId: string): Promise<void>;
}
