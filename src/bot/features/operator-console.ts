import { Composer, InlineKeyboard } from 'grammy';
import { onTap } from '../on-tap.js';
import type { Money } from '../../domain/money.js';
import { refundCheck } from '../../domain/order-state.js';
import { cleanText, cutGraphemes } from '../../domain/text.js';
import type { ConsoleServices } from '../../services/console/index.js';
import type { OrderDetail } from '../../services/console/orders.js';
import type { KuotaContext } from '../context.js';
import { dateTime, money, type Locale } from '../format.js';
import { CB } from '../keyboards.js';
import { replaceOrSay, say } from '../reply.js';
import { operatorsOnly, refusedForRole } from './operator-roles.js';

// A chat message stays readable on a phone: the first step, then the latest ones (the console shows all).
const TIMELINE_STEPS = 12;

/** Operators only (owners and support): /admin, /order KU-…, /stats; owners also refund and read /balance. Anyone else falls through to "I didn't catch that". */
export function operatorConsoleFeature(operator: ConsoleServices, consoleUrl: string) {
  const feature = new Composer<KuotaContext>();
  const { operators } = operator;
  const ops = operatorsOnly(feature, operators);

  ops.command('admin', async (ctx) => {
    const from = ctx.from!;
    await operators.remember(from.id, {
      name: [from.first_name, from.last_name].filter(Boolean).join(' '),
      username: from.username,
    });
    const token = await operator.auth.issueLink(from.id);
    const url = `${consoleUrl}/sign-in?token=${token}`;
    await say(ctx, ctx.locale.t('operator.sign_in_link', { url }));
  });

  ops.command('order', async (ctx) => {
    const { t } = ctx.locale;
    const query = ctx.match.trim();
    if (!query) return say(ctx, t('operator.order_usage'));
    const orderId = await operator.orders.find(query);
    const detail = orderId ? await operator.orders.detail(orderId) : null;
    // The echo is cut between characters: cut by UTF-16 units, "x" and emoji end in half an emoji.
    if (!detail) return say(ctx, t('operator.order_not_found', { number: cutGraphemes(cleanText(query), 40) }));
    await showOrder(ctx, detail, false);
  });

  ops.use(
    onTap('operatorOrder', async (ctx, action, orderId) => {
      const { t } = ctx.locale;
      const detail = await operator.orders.detail(orderId);
      if (!detail) return ctx.answerCallbackQuery({ text: t('common.stale_button'), show_alert: true });
      await ctx.answerCallbackQuery();
      if (action === 'show') return showOrder(ctx, detail, true);
      if ((action === 'refund' || action === 'refund!') && (await refusedForRole(ctx, operators, 'refund'))) return;
      if (action === 'refund') {
        const check = refundCheck(detail.state, detail.dispute !== null);
        if (check === 'disputed')
          return replaceOrSay(
            ctx,
            t('stars.operator.disputed', { order: detail.orderNumber }),
            backTo(ctx.locale, detail.orderId),
          );
        if (check === 'top_up_in_flight')
          return replaceOrSay(
            ctx,
            t('operator.top_up_in_flight', { number: detail.orderNumber }),
            backTo(ctx.locale, detail.orderId),
          );
        if (!detail.actions.refund)
          return replaceOrSay(
            ctx,
            t('operator.not_refundable', { number: detail.orderNumber, state: t(`state.${detail.state}`) }),
          );
        return replaceOrSay(
          ctx,
          t('operator.confirm_refund', { number: detail.orderNumber, price: money(ctx.locale, detail.price) }),
          new InlineKeyboard()
            .text(t('operator.refund_yes'), CB.operatorOrder('refund!', detail.orderId))
            .text(t('operator.back'), CB.operatorOrder('show', detail.orderId)),
        );
      }
      if (action === 'refund!') {
        const result = await operator.actions.refund(ctx.from.id, detail.orderId);
        if (result === 'disputed')
          return replaceOrSay(
            ctx,
            t('stars.operator.disputed', { order: detail.orderNumber }),
            backTo(ctx.locale, detail.orderId),
          );
        const key =
          result === 'refunded' || result === 'already_refunded'
            ? 'operator.refund_done'
            : result === 'refunding'
              ? 'operator.refund_pending'
              : result === 'top_up_in_flight'
                ? 'operator.top_up_in_flight'
                : result === 'esim_installed' || result === 'esim_window_passed' || result === 'esim_partner_refused'
                  ? `operator.${result}`
                  : 'operator.not_refundable';
        return replaceOrSay(
          ctx,
          t(key, {
            number: detail.orderNumber,
            price: money(ctx.locale, detail.price),
            state: t(`state.${detail.state}`),
          }),
          backTo(ctx.locale, detail.orderId),
        );
      }
      const result = await operator.actions.retryTopUp(ctx.from.id, detail.orderId);
      const after = await operator.orders.detail(detail.orderId);
      const state = t(`state.${after?.state ?? detail.state}`);
      await replaceOrSay(
        ctx,
        t(result === 'retried' ? 'operator.retry_done' : 'operator.not_retryable', {
          number: detail.orderNumber,
          state,
        }),
        backTo(ctx.locale, detail.orderId),
      );
    }),
  );

  ops.command('stats', async (ctx) => {
    const { t } = ctx.locale;
    const o = await operator.overview.get(ctx.user.timezone);
    const line = (p: 'today' | '7d') => {
      const f = o.periods[p];
      const paid = Object.values(f.renewalsByChannel).reduce((a, b) => a + b, 0);
      return t('operator.stats_period', {
        revenue: revenueText(ctx.locale, f.revenue),
        paid,
        chat: f.renewalsByChannel.chat ?? 0,
        reminder: f.renewalsByChannel.reminder ?? 0,
        auto: f.renewalsByChannel.auto_renew ?? 0,
        store: f.renewalsByChannel.store ?? 0,
        conversion:
          f.reminderConversion === null
            ? '—'
            : new Intl.NumberFormat(ctx.locale.language, { style: 'percent', maximumFractionDigits: 1 }).format(
                f.reminderConversion,
              ),
        declined: f.autoRenewDeclined,
        overBudget: f.autoRenewOverBudget,
      });
    };
    await say(
      ctx,
      [
        `<b>${t('operator.today')}</b>\n${line('today')}`,
        `<b>${t('operator.last_7_days')}</b>\n${line('7d')}`,
        t('operator.stats_health', {
          failing: o.topUps.failing,
          stuck: o.topUps.stuck,
          queued: o.delivery.queued,
          unreachable: o.delivery.unreachableTravellers,
        }),
      ].join('\n\n'),
    );
  });

  ops.command('balance', async (ctx) => {
    const { t } = ctx.locale;
    if (await refusedForRole(ctx, operators, 'provider')) return;
    if (!operator.balance.supported) return say(ctx, t('operator.balance_unsupported'));
    const reading = (await operator.balance.check()) ?? (await operator.balance.last());
    if (!reading) return say(ctx, t('operator.balance_unavailable'));
    const text = t('operator.balance', {
      balance: money(ctx.locale, reading),
      at: dateTime(ctx.locale, reading.checkedAt),
    });
    await say(ctx, reading.below ? `${text}\n${t('operator.balance_is_low')}` : text);
  });

  async function showOrder(ctx: KuotaContext, d: OrderDetail, edit: boolean) {
    const { t } = ctx.locale;
    const shown =
      d.timeline.length > TIMELINE_STEPS ? [d.timeline[0]!, ...d.timeline.slice(1 - TIMELINE_STEPS)] : d.timeline;
    const steps = shown.map(
      (e) =>
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the event's detail holds strings
        `${dateTime(ctx.locale, e.at)} · ${t(`operator.event.${e.kind}`)}${e.kind === 'topup_status' && e.detail?.status ? ` (${String(e.detail.status)})` : ''}`,
    );
    const text =
      t('operator.order', {
        number: d.orderNumber,
        state: t(`state.${d.state}`),
        plan: d.plan,
        price: money(ctx.locale, d.price),
        line: d.line,
        telegramId: d.telegramId,
        created: dateTime(ctx.locale, d.createdAt),
        reason: d.failureReason ?? '—',
      }) + (steps.length ? `\n\n${steps.join('\n')}` : '');
    const keyboard = new InlineKeyboard();
    if (d.actions.refund && (await operators.allows(ctx.from!.id, 'refund')))
      keyboard.text(t('operator.refund'), CB.operatorOrder('refund', d.orderId));
    if (d.actions.retryTopUp) keyboard.text(t('operator.retry'), CB.operatorOrder('retry', d.orderId));
    await (edit ? replaceOrSay : say)(ctx, text, keyboard);
  }

  return feature;
}

function backTo(locale: Locale, orderId: string): InlineKeyboard {
  return new InlineKeyboard().text(locale.t('operator.back'), CB.operatorOrder('show', orderId));
}

function revenueText(locale: Locale, revenue: Money[]): string {
  return revenue.length
    ? revenue.map((m) => money(locale, m)).join(' + ')
    : money(locale, { amountMinor: 0, currency: 'IDR' });
}
