import { InlineKeyboard } from 'grammy';
import type { EsimAfterSale } from '../../services/esim-sales/after-sale.js';
import type { InstallDetailsService } from '../../services/esim-sales/install-details.js';
import { esimDeliveryMessage, esimNotInstalledMessage, esimStepsMessage } from '../esim-sales/delivery.js';
import { esimFirstUseMessage } from '../esim-sales/first-use.js';
import type { i18n } from 'i18next';
import type { Db } from '../../adapters/db/client.js';
import { maskIdentifier } from '../../domain/line-identifier.js';
import { orderNumber, UNFINISHED_STATES } from '../../domain/order-state.js';
import { planName } from '../../domain/plan.js';
import { EXPIRED } from '../../domain/reminders.js';
import { localized } from '../../services/notices/notices.js';
import {
  OUTBOX_MESSAGE,
  readOutboxMessage,
  type OutboxKind,
  type OutboxMessage,
  type OutboxPayload,
} from '../../services/outbox-messages.js';
import type { AutoRenewService } from '../../services/auto-renew/auto-renew.js';
import type { OrderService } from '../../services/orders.js';
import { escapeHtml } from '../../escape-html.js';
import { dateTime, lineName, money, relativeTime, starsCount, type Locale } from '../format.js';
import { CB } from '../keyboards.js';
import { renderAutoRenewAlert } from '../auto-renew/alerts.js';
import { spendingText } from '../auto-renew/messages.js';
import { renderDisputeAlert } from './dispute-alert.js';
import { orderStatusMessage } from '../renewal/order-status.js';
import { receiptMessage } from '../renewal/receipt.js';
import { renderLowData } from '../usage/low-data.js';
import { midtransPendingText } from '../renewal/midtrans-pending.js';
import { renderReconciliationAlert } from './reconciliation-alert.js';
import { renderStarsMessage } from '../stars/messages.js';

/** Stands for the line's name in a reminder rendered once for many lines (escaping leaves it as it is). */
const NAME = '\u0001name\u0001';

/** A new message, or (with editMessageId) new text for one already in the chat, its buttons gone unless given. */
export type RenderedMessage = {
  chatId: number;
  text: string;
  keyboard?: InlineKeyboard;
  editMessageId?: number;
  /** A PNG sent as a photo, `text` its caption (a new eSIM's QR code). */
  photo?: Buffer;
};
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
  installDetails: InstallDetailsService;
  /** Absent (benches, unit tests): the reminder offers no refund. */
  esimAfterSale?: Pick<EsimAfterSale, 'refundableUntil'>;
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
  // The batch before is kept too: the worker reads the next batch while this one's last messages are rendered.
  let batchLines = new Map<string, ReminderLine>();
  let batchPlans = new Map<string, ReminderPlan>();
  let lastLines = batchLines;
  let lastPlans = batchPlans;

  function readLine(lineId: string | undefined, userId: string) {
    return deps.db.line.findFirst({ where: { id: lineId, userId, unlinkedAt: null } });
  }

  async function prepare(rows: OutboxRow[]): Promise<void> {
    const ids = rows.flatMap((r) => {
      if (r.kind !== 'reminder') return [];
      const parsed = OUTBOX_MESSAGE.safeParse(r);
      return parsed.success && parsed.data.kind === 'reminder' ? [parsed.data.payload.lineId] : [];
    });
    lastLines = batchLines;
    lastPlans = batchPlans;
    batchLines = new Map();
    batchPlans = new Map();
    if (!ids.length) return;
    const lines = await deps.db.line.findMany({ where: { id: { in: ids }, unlinkedAt: null } });
    for (const line of lines) batchLines.set(line.id, line);
    const codes = [...new Set(lines.map((l) => l.planCode).filter((c): c is string => !!c))];
    if (!codes.length) return;
    // A code no longer in the catalog is remembered too, or each of its reminders would look it up again.
    for (const code of codes) batchPlans.set(code, null);
    for (const plan of await deps.db.plan.findMany({ where: { code: { in: codes } } })) batchPlans.set(plan.code, plan);
  }

  async function reminderLine(lineId: string | undefined, userId: string): Promise<ReminderLine | null> {
    const read = lineId ? (batchLines.get(lineId) ?? lastLines.get(lineId)) : undefined;
    if (read) return read.userId === userId ? read : null;
    return readLine(lineId, userId);
  }

  async function plan(code: string): Promise<ReminderPlan> {
    if (batchPlans.has(code)) return batchPlans.get(code)!;
    return lastPlans.has(code) ? lastPlans.get(code)! : deps.db.plan.findUnique({ where: { code } });
  }

  // A wave's reminders differ in the line's name alone: each (language, timezone, expiry, window) is
  // rendered once (i18next and Intl cost more than the send), and the name put in.
  const templates = new Map<string, string>();
  function reminderTemplate(locale: Locale, expired: boolean, expiresAt: Date, grace: number | null): string {
    const now = deps.now();
    // "ends in 20 hours" is worded to the minute at most.
    const key = `${locale.language} ${locale.timezone} ${expired} ${expiresAt.getTime()} ${grace} ${expired ? '' : Math.floor(now.getTime() / 60_000)}`;
    let template = templates.get(key);
    if (template !== undefined) return template;
    const { t } = locale;
    const date = dateTime(locale, expiresAt);
    template = expired
      ? t('reminder.expired', { name: NAME, date }) + (grace ? `\n\n${t('reminder.grace', { count: grace })}` : '')
      : t('reminder.expiring', { name: NAME, when: relativeTime(locale, expiresAt, now), date });
    if (templates.size >= 1000) templates.clear();
    templates.set(key, template);
    return template;
  }

  async function render(row: OutboxRow, user: RenderUser): Promise<RenderedMessage | null> {
    const locale: Locale = { t: deps.i18n.getFixedT(user.language), language: user.language, timezone: user.timezone };
    const { t } = locale;
    const to = (text: string, keyboard?: InlineKeyboard): RenderedMessage => ({
      chatId: user.telegramId,
      text,
      keyboard,
    });

    /** The traveller's order and what every order message names; null once the order is gone. */
    async function aboutOrder(orderId: string) {
      const order = await deps.orders.get(user.id, orderId);
      if (!order) return null;
      const params = {
        order: order.orderNumber,
        line: maskIdentifier(order.identifier),
        plan: planName({ names: order.planNames, code: order.planCode }, user.language),
        price: money(locale, order.price),
      };
      return { order, params, renew: new InlineKeyboard().text(t('menu.renew'), CB.menu('renew')) };
    }
    type About = NonNullable<Awaited<ReturnType<typeof aboutOrder>>>;
    const forOrder =
      <P extends { orderId: string }>(
        say: (about: About, payload: P) => RenderedMessage | null | Promise<RenderedMessage | null>,
      ) =>
      async (payload: P) => {
        const about = await aboutOrder(payload.orderId);
        return about && say(about, payload);
      };
    const autoRenewAlert = async (kind: string, payload: Parameters<typeof renderAutoRenewAlert>[3]) => {
      const alert = await renderAutoRenewAlert(deps.db, locale, kind, payload, deps.autoRenew.leadHours, deps.now());
      return alert && to(alert.text, alert.keyboard);
    };
    const starsMessage = async (kind: string, payload: Parameters<typeof renderStarsMessage>[3]) => {
      const message = await renderStarsMessage(deps.db, locale, kind, payload);
      return message && to(message.text, message.keyboard);
    };

    // One entry per kind: a kind added to OUTBOX_MESSAGE without one here does not compile.
    const renderers: { [K in OutboxKind]: (payload: OutboxPayload<K>) => Promise<RenderedMessage | null> } = {
      async notice(payload) {
        const n = user.alertNotices ? await notice(payload.noticeId) : null;
        if (!n) return null;
        const title = localized(n.titles, user.language, deps.defaultLanguage);
        const body = localized(n.bodies, user.language, deps.defaultLanguage);
        return to(t('notices.alert', { title, body }), new InlineKeyboard().text(t('notices.all'), CB.menu('notices')));
      },
      async operator_message(payload) {
        return to(t('team_message.text', { text: payload.text }));
      },
      async reminder(payload) {
        if (!user.alertExpiry) return null;
        const line = await reminderLine(payload.lineId, user.id);
        // Renewed (or unlinked) since the reminder was queued: it would be stale.
        if (!line?.expiresAt || line.expiresAt.toISOString() !== payload.expiresAt) return null;
        const keyboard = new InlineKeyboard().text(t('reminder.renew_now'), CB.renewNow(line.id));
        const grace =
          payload.window === EXPIRED && line.planCode ? ((await plan(line.planCode))?.graceDays ?? null) : null;
        const template = reminderTemplate(locale, payload.window === EXPIRED, line.expiresAt, grace);
        return to(template.replace(NAME, escapeHtml(lineName(line))), keyboard);
      },
      async low_data(payload) {
        const warning = await renderLowData(deps.db, locale, user.id, payload);
        return warning && to(warning.text, warning.keyboard);
      },
      async operator_balance_low(p) {
        return to(
          t('operator.balance_low', {
            balance: money(locale, { amountMinor: p.amountMinor, currency: p.currency }),
            threshold: money(locale, { amountMinor: p.thresholdMinor, currency: p.currency }),
          }),
        );
      },
      async operator_partner(p) {
        return to(t(p.key, { ...p.vars, ...(p.money ? { amount: money(locale, p.money) } : {}) }));
      },
      async operator_reconciliation(payload) {
        const text = await renderReconciliationAlert(deps.db, locale, payload.issueId);
        return text === null ? null : to(text);
      },
      async autorenew_monthly(payload) {
        const text = spendingText(locale, await deps.autoRenew.monthlySpend(user.id, [payload.month]));
        return text ? to(text, new InlineKeyboard().text(t('autorenew.back'), CB.menu('numbers'))) : null;
      },
      stars_refunded: (payload) => starsMessage('stars_refunded', payload),
      stars_subscribed: (payload) => starsMessage('stars_subscribed', payload),
      autorenew_card_saved: (payload) => autoRenewAlert('autorenew_card_saved', payload),
      autorenew_over_cap: (payload) => autoRenewAlert('autorenew_over_cap', payload),
      autorenew_action_required: (payload) => autoRenewAlert('autorenew_action_required', payload),
      autorenew_failed: (payload) => autoRenewAlert('autorenew_failed', payload),
      async topup_after_refund(payload) {
        return to(t('operator.topup_after_refund', { number: orderNumber(payload.orderId) }));
      },
      async dispute_opened(payload) {
        return to(await renderDisputeAlert(deps.db, locale, payload));
      },
      receipt: forOrder(({ order }) => {
        const receipt = receiptMessage(locale, order);
        return to(receipt.text, receipt.keyboard);
      }),
      refunded: forOrder(({ order, params }, payload) => {
        const operator = payload.reason === 'operator';
        const stars = order.paidWith === 'stars' ? { stars: starsCount(locale, order.starsAmount) } : null;
        // A new eSIM's refund says what became of the eSIM (not delivered, or cancelled), in Stars where it was paid so.
        if (order.newEsim) {
          const key = operator ? 'esim.refunded_on_request' : 'esim.refunded';
          return to(stars ? t(`${key}_stars`, { ...params, ...stars }) : t(key, params));
        }
        if (stars) return to(t(`stars.refunded.${operator ? 'operator' : 'top_up_failed'}`, { ...params, ...stars }));
        return to(t(operator ? 'notify.refunded_by_operator' : 'notify.refunded', params));
      }),
      // Said only while the top-up is under way: once the receipt is out, it would be old news.
      payment_received: forOrder(({ order, params }, payload) => {
        if (!UNFINISHED_STATES.includes(order.state)) return null;
        if (order.paidWith === 'stars') {
          const stars = starsCount(locale, order.starsAmount);
          if (order.newEsim) return to(t('esim.payment_received', { ...params, price: t('stars.amount', { stars }) }));
          return to(t(payload.renewal ? 'stars.renewal_received' : 'stars.received', { stars }));
        }
        return to(t(order.newEsim ? 'esim.payment_received' : 'notify.payment_received', params));
      }),
      order_update: forOrder(async ({ order }) => {
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
      }),
      card_refunded_paid_twice: forOrder(({ order, params }, paid) =>
        to(
          t('stars.card_refunded_paid_twice', {
            ...params,
            price:
              paid.currency && paid.amountMinor !== undefined
                ? money(locale, { amountMinor: paid.amountMinor, currency: paid.currency })
                : params.price,
            stars: starsCount(locale, order.starsAmount),
          }),
        ),
      ),
      payment_refunded_paid_twice: forOrder(({ params }, paid) => {
        const price =
          paid.currency && paid.amountMinor !== undefined
            ? money(locale, { amountMinor: paid.amountMinor, currency: paid.currency })
            : params.price;
        return to(t(paid.owed ? 'notify.paid_twice_owed' : 'notify.paid_twice_refunded', { ...params, price }));
      }),
      async esim_delivery(payload) {
        const details = await deps.installDetails.forOrder(user.id, payload.orderId, user.language);
        if (!details) return null;
        const delivery = esimDeliveryMessage(locale, details);
        return { chatId: user.telegramId, text: delivery.caption, keyboard: delivery.keyboard, photo: delivery.photo };
      },
      async esim_steps(payload) {
        const details = await deps.installDetails.forOrder(user.id, payload.orderId, user.language);
        return details && to(esimStepsMessage(locale, details));
      },
      // Said once, and only while the eSIM is still not installed and not refunded.
      esim_not_installed: forOrder(async ({ order, params }) => {
        const row = await deps.db.esimPurchase.findUnique({ where: { orderId: order.orderId } });
        if (order.state !== 'fulfilled' || !row || row.installedAt) return null;
        const until = (await deps.esimAfterSale?.refundableUntil(order.orderId)) ?? null;
        const open = until && until > deps.now() ? until : null;
        const message = esimNotInstalledMessage(
          locale,
          { ...params, orderId: order.orderId },
          row.appleInstallUrl,
          open,
        );
        return to(message.text, message.keyboard);
      }),
      // Said once, and only while the eSIM is the traveller's (not refunded since).
      esim_first_use: forOrder(({ order, params }, payload) => {
        if (order.state !== 'fulfilled') return null;
        const greeting = esimFirstUseMessage(locale, params.plan, payload);
        return to(greeting.text, greeting.keyboard);
      }),
      // Said only while the delivery is under way.
      esim_on_its_way: forOrder(({ order, params }) =>
        UNFINISHED_STATES.includes(order.state) ? to(t('esim.on_its_way', params)) : null,
      ),
      // Once paid (or expired), the instructions are old news.
      midtrans_pending: forOrder(({ order }, payload) => {
        if (order.state !== 'awaiting_payment') return null;
        const text = midtransPendingText(locale, order.orderNumber, payload);
        return text === null ? null : to(text);
      }),
      order_expired: forOrder(({ params, renew }) => to(t('notify.order_expired', params), renew)),
      payment_failed: forOrder(({ params, renew }) => to(t('notify.payment_failed', params), renew)),
    };

    const message = readOutboxMessage(row);
    return (renderers[message.kind] as (payload: OutboxMessage['payload']) => Promise<RenderedMessage | null>)(
      message.payload,
    );
  }

  return Object.assign(render, { prepare });
}
