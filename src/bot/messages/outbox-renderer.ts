import type { OperatorAlert } from '../../services/esim-partner/operators.js';
import { InlineKeyboard } from 'grammy';
import type { i18n } from 'i18next';
import type { Db } from '../../adapters/db/client.js';
import { maskIdentifier } from '../../domain/line-identifier.js';
import { orderNumber, UNFINISHED_STATES } from '../../domain/order-state.js';
import { planName } from '../../domain/plan.js';
import { EXPIRED } from '../../domain/reminders.js';
import { localized } from '../../services/notices.js';
import type { AutoRenewService } from '../../services/auto-renew.js';
import type { OrderService } from '../../services/orders.js';
import { dateTime, lineName, money, relativeTime, starsCount, type Locale } from '../format.js';
import { CB } from '../keyboards.js';
import { renderAutoRenewAlert } from './auto-renew-alerts.js';
import { spendingText } from './auto-renew.js';
import { renderDisputeAlert } from './dispute-alert.js';
import { orderStatusMessage } from './order-status.js';
import { receiptMessage } from './receipt.js';
import { renderLowData, type LowDataPayload } from './low-data.js';
import { renderReconciliationAlert } from './reconciliation-alert.js';
import { renderStarsMessage } from './stars.js';
import { midtransPendingText, type MidtransPendingPayload } from './midtrans-pending.js';

/** A new message, or (with editMessageId) new text for one already in the chat, its buttons gone unless given. */
export type RenderedMessage = { chatId: number; text: string; keyboard?: InlineKeyboard; editMessageId?: number };
export type OutboxRow = { userId: string; kind: string; payload: unknown };
export type RenderUser = {
  id: string;
  telegramId: number;
  language: string;
  timezone: string;
  alertExpiry: boolean;
  alertNotices: boolean;
};

/**
 * Turns an outbox row into a message when it is sent, so it speaks the language and timezone the
 * traveller has then. null when there is nothing left to say (the line was renewed meanwhile,
 * the traveller switched that alert off).
 */
export function createOutboxRenderer(deps: {
  db: Db;
  orders: OrderService;
  i18n: i18n;
  defaultLanguage: string;
  now: () => Date;
  autoRenew: AutoRenewService;
}) {
  const notices = new Map<string, { titles: Record<string, string>; bodies: Record<string, string> }>();

  async function notice(id: string) {
    let cached = notices.get(id);
    if (!cached) {
      const n = await deps.db.notice.findUnique({ where: { id } });
      if (!n) return null;
      cached = { titles: n.titles as Record<string, string>, bodies: n.bodies as Record<string, string> };
      if (notices.size > 100) notices.clear();
      notices.set(id, cached);
    }
    return cached;
  }

  type ReminderLine = NonNullable<Awaited<ReturnType<typeof readLine>>>;
  type ReminderPlan = Awaited<ReturnType<typeof deps.db.plan.findUnique>>;
  // What the claimed batch's reminders need, read in two queries by prepare(): a wave renders without a query per message.
  let batchLines = new Map<string, ReminderLine>();
  let batchPlans = new Map<string, ReminderPlan>();

  function readLine(lineId: string | undefined, userId: string) {
    return deps.db.line.findFirst({ where: { id: lineId, userId, unlinkedAt: null } });
  }

  async function prepare(rows: OutboxRow[]): Promise<void> {
    const ids = rows.filter((r) => r.kind === 'reminder').map((r) => (r.payload as { lineId: string }).lineId);
    batchLines = new Map();
    batchPlans = new Map();
    if (!ids.length) return;
    const lines = await deps.db.line.findMany({ where: { id: { in: ids }, unlinkedAt: null } });
    for (const line of lines) batchLines.set(line.id, line);
    const codes = [...new Set(lines.map((l) => l.planCode).filter((c): c is string => !!c))];
    if (codes.length)
      for (const plan of await deps.db.plan.findMany({ where: { code: { in: codes } } }))
        batchPlans.set(plan.code, plan);
  }

  async function reminderLine(lineId: string | undefined, userId: string): Promise<ReminderLine | null> {
    const read = lineId ? batchLines.get(lineId) : undefined;
    if (read) return read.userId === userId ? read : null;
    return readLine(lineId, userId);
  }

  async function plan(code: string): Promise<ReminderPlan> {
    return batchPlans.has(code) ? batchPlans.get(code)! : deps.db.plan.findUnique({ where: { code } });
  }

  async function render(row: OutboxRow, user: RenderUser): Promise<RenderedMessage | null> {
    const locale: Locale = { t: deps.i18n.getFixedT(user.language), language: user.language, timezone: user.timezone };
    const { t } = locale;
    const payload = row.payload as {
      orderId?: string;
      noticeId?: string;
      lineId?: string;
      expiresAt?: string;
      window?: string;
    };
    const to = (text: string, keyboard?: InlineKeyboard): RenderedMessage => ({
      chatId: user.telegramId,
      text,
      keyboard,
    });

    if (row.kind === 'notice') {
      const n = user.alertNotices ? await notice(payload.noticeId!) : null;
      if (!n) return null;
      const title = localized(n.titles, user.language, deps.defaultLanguage);
      const body = localized(n.bodies, user.language, deps.defaultLanguage);
      return to(t('notices.alert', { title, body }), new InlineKeyboard().text(t('notices.all'), CB.menu('notices')));
    }

    if (row.kind === 'reminder') {
      if (!user.alertExpiry) return null;
      const line = await reminderLine(payload.lineId, user.id);
      // Renewed (or unlinked) since the reminder was queued: it would be stale.
      if (!line?.expiresAt || line.expiresAt.toISOString() !== payload.expiresAt) return null;
      const linePlan = line.planCode ? await plan(line.planCode) : null;
      const name = lineName(line);
      const keyboard = new InlineKeyboard().text(t('reminder.renew_now'), CB.renewNow(line.id));
      if (payload.window === EXPIRED) {
        const grace = linePlan?.graceDays;
        const text =
          t('reminder.expired', { name, date: dateTime(locale, line.expiresAt) }) +
          (grace ? `\n\n${t('reminder.grace', { count: grace })}` : '');
        return to(text, keyboard);
      }
      return to(
        t('reminder.expiring', {
          name,
          when: relativeTime(locale, line.expiresAt, deps.now()),
          date: dateTime(locale, line.expiresAt),
        }),
        keyboard,
      );
    }

    if (row.kind === 'low_data') {
      const warning = await renderLowData(deps.db, locale, user.id, row.payload as LowDataPayload);
      return warning && to(warning.text, warning.keyboard);
    }
    if (row.kind === 'operator_balance_low') {
      const p = row.payload as { amountMinor: number; currency: string; thresholdMinor: number };
      return to(
        t('operator.balance_low', {
          balance: money(locale, { amountMinor: p.amountMinor, currency: p.currency }),
          threshold: money(locale, { amountMinor: p.thresholdMinor, currency: p.currency }),
        }),
      );
    }
    if (row.kind === 'operator_partner') {
      const p = row.payload as OperatorAlert;
      return to(t(p.key, { ...p.vars, ...(p.money ? { amount: money(locale, p.money) } : {}) }));
    }

    if (row.kind === 'operator_reconciliation') {
      const text = await renderReconciliationAlert(deps.db, locale, (row.payload as { issueId: string }).issueId);
      return text === null ? null : to(text);
    }

    if (row.kind === 'autorenew_monthly') {
      const text = spendingText(
        locale,
        await deps.autoRenew.monthlySpend(user.id, [(row.payload as { month: string }).month]),
      );
      return text ? to(text, new InlineKeyboard().text(t('autorenew.back'), CB.menu('numbers'))) : null;
    }
    if (row.kind.startsWith('stars_')) {
      const message = await renderStarsMessage(deps.db, locale, row.kind, row.payload as Record<string, never>);
      return message && to(message.text, message.keyboard);
    }
    if (row.kind.startsWith('autorenew_')) {
      const alert = await renderAutoRenewAlert(
        deps.db,
        locale,
        row.kind,
        row.payload as Record<string, never>,
        deps.autoRenew.leadHours,
        deps.now(),
      );
      return alert && to(alert.text, alert.keyboard);
    }

    if (row.kind === 'topup_after_refund') {
      const orderId = String((row.payload as { orderId: string }).orderId);
      return to(t('operator.topup_after_refund', { number: orderNumber(orderId) }));
    }

    if (row.kind === 'dispute_opened') {
      const text = await renderDisputeAlert(deps.db, locale, row.payload as Parameters<typeof renderDisputeAlert>[2]);
      return to(text);
    }

    const order = payload.orderId ? await deps.orders.get(user.id, payload.orderId) : null;
    if (!order) return null;
    const params = {
      order: order.orderNumber,
      line: maskIdentifier(order.identifier),
      plan: planName({ names: order.planNames, code: order.planCode }, user.language),
      price: money(locale, order.price),
    };
    const renew = new InlineKeyboard().text(t('menu.renew'), CB.menu('renew'));
    switch (row.kind) {
      case 'receipt': {
        const receipt = receiptMessage(locale, order);
        return to(receipt.text, receipt.keyboard);
      }
      case 'refunded': {
        const operator = (row.payload as { reason?: string }).reason === 'operator';
        if (order.paidWith === 'stars')
          return to(
            t(`stars.refunded.${operator ? 'operator' : 'top_up_failed'}`, {
              ...params,
              stars: starsCount(locale, order.starsAmount),
            }),
          );
        return to(t(operator ? 'notify.refunded_by_operator' : 'notify.refunded', params));
      }
      case 'payment_received':
        // Said only while the top-up is under way: once the receipt is out, it would be old news.
        return UNFINISHED_STATES.includes(order.state) ? to(t('notify.payment_received', params)) : null;
      case 'order_update': {
        const shown = await deps.db.order.findUnique({
          where: { id: order.orderId },
          select: { summaryChatId: true, summaryMessageId: true },
        });
        if (!shown?.summaryChatId || !shown.summaryMessageId) return null;
        const status = orderStatusMessage(locale, order);
        return {
          chatId: Number(shown.summaryChatId),
          editMessageId: shown.summaryMessageId,
          text: status.text,
          keyboard: status.keyboard,
        };
      }
      case 'card_refunded_paid_twice': {
        const paid = payload as { amountMinor?: number; currency?: string };
        return to(
          t('stars.card_refunded_paid_twice', {
            ...params,
            price: paid.currency
              ? money(locale, { amountMinor: paid.amountMinor!, currency: paid.currency })
              : params.price,
            stars: starsCount(locale, order.starsAmount),
          }),
        );
      }
      case 'payment_refunded_paid_twice': {
        const paid = payload as { amountMinor?: number; currency?: string; owed?: boolean };
        const price = paid.currency
          ? money(locale, { amountMinor: paid.amountMinor!, currency: paid.currency })
          : params.price;
        return to(t(paid.owed ? 'notify.paid_twice_owed' : 'notify.paid_twice_refunded', { ...params, price }));
      }
      case 'order_expired':
        return to(t('notify.order_expired', params), renew);
      case 'midtrans_pending': {
        // Once paid (or expired), the instructions are old news.
        if (order.state !== 'awaiting_payment') return null;
        const text = midtransPendingText(locale, order.orderNumber, payload as MidtransPendingPayload);
        return text === null ? null : to(text);
      }
      case 'payment_failed':
        return to(t('notify.payment_failed', params), renew);
      default:
        return null;
    }
  }

  return Object.assign(render, { prepare });
}
