import { InlineKeyboard } from 'grammy';
import type { i18n } from 'i18next';
import { maskIdentifier } from '../../domain/line-identifier.js';
import { planName } from '../../domain/plan.js';
import type { OrderService } from '../../services/orders.js';
import type { UserService } from '../../services/users.js';
import { money, type Locale } from '../format.js';
import { CB } from '../keyboards.js';
import { receiptMessage } from './receipt.js';

export type RenderedMessage = { chatId: number; text: string; keyboard?: InlineKeyboard };
export type OutboxRow = { userId: string; kind: string; payload: unknown };

/**
 * Turns an outbox row into a message at the moment it is sent, so it speaks the language
 * and timezone the traveller has then. null when there is nothing left to say.
 */
export function createOutboxRenderer(deps: { users: UserService; orders: OrderService; i18n: i18n }) {
  return async function render(row: OutboxRow): Promise<RenderedMessage | null> {
    const user = await deps.users.get(row.userId);
    const locale: Locale = { t: deps.i18n.getFixedT(user.language), language: user.language, timezone: user.timezone };
    const { t } = locale;
    const orderId = (row.payload as { orderId?: string }).orderId;
    const order = orderId ? await deps.orders.get(user.id, orderId) : null;
    if (!order) return null;
    const renew = new InlineKeyboard().text(t('menu.renew'), CB.menu('renew'));
    const params = {
      order: order.orderNumber,
      line: maskIdentifier(order.identifier),
      plan: planName({ names: order.planNames, code: order.planCode }, user.language),
      price: money(locale, order.price),
    };
    switch (row.kind) {
      case 'receipt': {
        const receipt = receiptMessage(locale, order);
        return { chatId: user.telegramId, text: receipt.text, keyboard: receipt.keyboard };
      }
      case 'refunded':
        return { chatId: user.telegramId, text: t('notify.refunded', params) };
      case 'order_expired':
        return { chatId: user.telegramId, text: t('notify.order_expired', params), keyboard: renew };
      case 'payment_failed':
        return { chatId: user.telegramId, text: t('notify.payment_failed', params), keyboard: renew };
      default:
        return null;
    }
  };
}
