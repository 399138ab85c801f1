import { Api, GrammyError } from 'grammy';
import { STARS, SUBSCRIPTION_PERIOD_SECONDS } from '../../domain/stars.js';
import type { StarsGateway, StarsInvoice } from '../../services/ports/stars-gateway.js';
import type { StarBalance, StarBalanceSource } from '../../services/ports/star-balance.js';

/** Telegram Stars through the Bot API: invoice links (XTR, no provider token), refunds, subscriptions. */
export class TelegramStarsGateway implements StarsGateway, StarBalanceSource {
  constructor(private readonly api: Api) {}

  static fromToken(token: string, apiRoot: string): TelegramStarsGateway {
    return new TelegramStarsGateway(new Api(token, { apiRoot }));
  }

  createInvoiceLink(invoice: StarsInvoice): Promise<string> {
    return this.api.createInvoiceLink(
      invoice.title,
      invoice.description,
      invoice.payload,
      '',
      STARS,
      [{ label: invoice.title, amount: invoice.amount }],
      {
        ...(invoice.subscription ? { subscription_period: SUBSCRIPTION_PERIOD_SECONDS } : {}),
      },
    );
  }

  async refund(telegramUserId: number, chargeId: string): Promise<void> {
    try {
      await this.api.refundStarPayment(telegramUserId, chargeId);
    } catch (error) {
      // A refund repeated after a crash, or made by hand: the Stars are back either way.
      if (error instanceof GrammyError && error.description.includes('CHARGE_ALREADY_REFUNDED')) return;
      throw error;
    }
  }

  /** getMyStarBalance (Bot API 9.1): a StarAmount, `nanostar_amount` only when the balance has a fraction. */
  async starBalance(): Promise<StarBalance> {
    const { amount, nanostar_amount } = await this.api.getMyStarBalance();
    return { amount, nanostarAmount: nanostar_amount ?? 0 };
  }

  async cancelSubscription(telegramUserId: number, chargeId: string): Promise<void> {
    await this.api.editUserStarSubscription(telegramUserId, chargeId, true);
  }
}
