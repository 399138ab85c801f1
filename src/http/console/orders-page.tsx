import type { Permission } from '../../domain/operator-role.js';
import { ORDER_STATES } from '../../domain/order-state.js';
import { disputeClosed } from '../../domain/disputes.js';
import { methodName } from '../../domain/payment-methods.js';
import { SYSTEM_ACTOR } from '../../services/audit.js';
import type { OrderDetail, OrderRow } from '../../services/console/orders.js';
import { Fragment, h, type Markup } from './jsx.js';
import { phrase } from './labels.js';
import { allowed, PostForm, type PageContext } from './layout.js';

export type OrderAction = 'refund' | 'retry' | 'resend' | 'fail' | 'mark_refunded';

const CAN: Record<OrderAction, keyof OrderDetail['actions']> = {
  refund: 'refund',
  retry: 'retryTopUp',
  resend: 'resendReceipt',
  fail: 'markFailed',
  mark_refunded: 'markRefunded',
};
/** Why an action cannot apply to an order in its state (the sentence the action itself would answer). */
const CANNOT: Record<OrderAction, string> = {
  refund: 'orders.result.not_refundable',
  retry: 'orders.result.not_retryable',
  resend: 'orders.result.not_fulfilled',
  fail: 'orders.result.not_in_flight',
  mark_refunded: 'orders.result.not_owed',
};

/**
 * Which outcome banners (`?result=`) fit the order's state now: an old or hand-made address shows
 * no banner rather than one that contradicts the page.
 */
const RESULT_FITS: Record<string, (d: OrderDetail) => boolean> = {
  refunded: (d) => d.state === 'refunded',
  refunding: (d) => d.state === 'refunding',
  not_refundable: (d) => !d.actions.refund,
  retried: (d) => d.state === 'topping_up' || d.state === 'fulfilled' || d.state === 'paid',
  not_retryable: (d) => !d.actions.retryTopUp,
  queued: (d) => d.state === 'fulfilled',
  not_fulfilled: (d) => d.state !== 'fulfilled',
  not_owed: (d) => !d.actions.markRefunded,
  // A new eSIM's refund the install state refused, and its install details sent again.
  esim_installed: (d) => d.state === 'fulfilled',
  esim_window_passed: (d) => d.state === 'fulfilled',
  esim_partner_refused: (d) => d.state === 'fulfilled',
  esim_resent: (d) => d.state === 'fulfilled',
};

export function canApply(d: OrderDetail, action: OrderAction): boolean {
  return d.actions[CAN[action]];
}

export function ordersView(ctx: PageContext, query: Record<string, string>, rows: OrderRow[], next: string | null) {
  const { t, money, date } = ctx.locale;
  const nextHref = next ? `/console/orders?${new URLSearchParams({ ...query, cursor: next }).toString()}` : null;
  return (
    <>
      <form method="get" action="/console/orders" class="search">
        <input name="q" value={query.q ?? ''} placeholder={t('orders.search')} aria-label={t('orders.search')} />
        <select name="state" aria-label={t('orders.state')}>
          <option value="">{t('orders.any_state')}</option>
          {ORDER_STATES.map((s) => (
            <option value={s} selected={s === query.state}>
              {t(`state.${s}`)}
            </option>
          ))}
        </select>
        <label>
          {t('orders.from')} <input type="date" name="from" value={query.from ?? ''} />
        </label>
        <label>
          {t('orders.to')} <input type="date" name="to" value={query.to ?? ''} />
        </label>
        <button type="submit">{t('orders.find')}</button>
      </form>
      {allowed(ctx, 'exports') ? (
        <p class="downloads">
          <a
            href={`/console/exports/orders.csv?${new URLSearchParams(query).toString()}`}
            download=""
            data-export="orders"
          >
            {t('orders.export_orders')}
          </a>{' '}
          ·{' '}
          <a href="/console/exports/ledger.csv" download="" data-export="ledger">
            {t('orders.export_ledger')}
          </a>
        </p>
      ) : null}
      {rows.length ? (
        <table class="cards-on-phone" data-orders>
          <thead>
            <tr>
              <th>{t('orders.number')}</th>
              <th>{t('orders.state')}</th>
              <th>{t('orders.plan')}</th>
              <th>{t('orders.line')}</th>
              <th>{t('orders.amount')}</th>
              <th>{t('orders.telegram')}</th>
              <th>{t('orders.created')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>
                  <a href={`/console/orders/${r.orderId}`}>{r.orderNumber}</a>
                </td>
                <td data-label={t('orders.state')}>{t(`state.${r.state}`)}</td>
                <td data-label={t('orders.plan')}>{r.plan}</td>
                <td data-label={t('orders.line')}>{r.line}</td>
                <td data-label={t('orders.amount')}>{money(r.price)}</td>
                <td data-label={t('orders.telegram')}>{r.telegramId}</td>
                <td data-label={t('orders.created')}>{date(r.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('orders.none')}</p>
      )}
      {nextHref ? (
        <p>
          <a href={nextHref}>{t('orders.next')}</a>
        </p>
      ) : null}
    </>
  );
}

function starsText(ctx: PageContext, stars: number): string {
  return ctx.locale.t('orders.stars_amount', { amount: ctx.locale.number(stars) });
}

/** What the order cost the traveller, in what they paid with: Stars are never shown as rupiah. */
function amountText(ctx: PageContext, d: OrderDetail): string {
  return d.payment?.method === 'stars' ? starsText(ctx, d.payment.stars) : ctx.locale.money(d.price);
}

/** One timeline step's details, in words: no internal code reaches the page. */
function timelineDetail(ctx: PageContext, e: OrderDetail['timeline'][number]): string {
  const { t, money } = ctx.locale;
  const d = e.detail ?? {};
  const bits: string[] = [];
  if (e.kind === 'topup_status') bits.push(phrase(t, 'topup', d.status), typeof d.reason === 'string' ? d.reason : '');
  if (e.kind === 'message_queued') bits.push(phrase(t, 'delivery', e.delivery ?? 'unknown'));
  if ((e.kind === 'checkout_created' || e.kind === 'drafted') && d.amountMinor !== undefined)
    bits.push(money({ amountMinor: Number(d.amountMinor), currency: String(d.currency) }));
  if (e.kind === 'drafted' && d.source) bits.push(phrase(t, 'source', d.source));
  if (e.kind === 'payment_paid' && d.offSession) bits.push(t('source.auto_renew'));
  if (e.kind === 'payment_paid' && typeof d.stars === 'number') bits.push(starsText(ctx, d.stars));
  // A Stars payment's own step gives its amount in XTR, a whole number of Stars.
  if (e.kind === 'payment_paid' && d.currency === 'XTR' && typeof d.amountMinor === 'number')
    bits.push(starsText(ctx, d.amountMinor));
  return bits.filter(Boolean).join(' · ');
}

function timelineTitle(ctx: PageContext, e: OrderDetail['timeline'][number]): string {
  const { t } = ctx.locale;
  return e.kind === 'message_queued' ? phrase(t, 'message', e.detail?.kind) : phrase(t, 'event', e.kind);
}

/** Who did it: the operator's name where the console knows it, else their Telegram id, labelled. */
/** What an order action needs beyond being an operator; the rest support may do. */
export const ACTION_NEEDS: Partial<Record<OrderAction, Permission>> = {
  refund: 'refund',
  fail: 'mark_failed',
  mark_refunded: 'refund',
};

export function operatorName(ctx: PageContext, actorId: number): string {
  if (actorId === SYSTEM_ACTOR) return ctx.locale.t('audit.system');
  const name = ctx.names?.get(actorId);
  return name
    ? ctx.locale.t('common.operator_named', { name, id: actorId })
    : ctx.locale.t('common.operator', { id: actorId });
}

/** `esim`: the new eSIM's section, for an order that sold one. */
export function orderView(ctx: PageContext, d: OrderDetail, result: string | null, esim: Markup | null = null) {
  const { t, money, date } = ctx.locale;
  const banner = result && Object.hasOwn(RESULT_FITS, result) && RESULT_FITS[result]!(d) ? result : null;
  const actions = (['refund', 'retry', 'resend', 'fail', 'mark_refunded'] as const).filter(
    (a) => canApply(d, a) && (!ACTION_NEEDS[a] || allowed(ctx, ACTION_NEEDS[a])),
  );
  const label: Record<OrderAction, string> = {
    refund: t('orders.refund'),
    retry: t('orders.retry'),
    resend: t('orders.resend'),
    fail: t('orders.fail'),
    mark_refunded: t('orders.mark_refunded'),
  };
  return (
    <>
      {banner ? (
        <p class="notice" role="status">
          {t(`orders.result.${banner}`)}
        </p>
      ) : null}
      <table>
        <tr>
          <th>{t('orders.state')}</th>
          <td data-state={d.state}>{t(`state.${d.state}`)}</td>
        </tr>
        <tr>
          <th>{t('orders.plan')}</th>
          <td>{d.plan}</td>
        </tr>
        <tr>
          <th>{t('orders.amount')}</th>
          <td data-amount>
            {amountText(ctx, d)}
            {d.payment?.method === 'stars' ? (
              <span class="muted"> · {t('orders.catalog_price', { amount: money(d.price) })}</span>
            ) : null}
          </td>
        </tr>
        {d.payment ? (
          <tr>
            <th>{t('orders.paid_with')}</th>
            <td data-paid-with={d.payment.method}>
              {d.payment.method === 'stars'
                ? t('orders.paid_with_stars')
                : d.payment.method === 'card'
                  ? t('orders.paid_with_card')
                  : t('orders.paid_with_method', { method: methodName(d.payment.method) })}
            </td>
          </tr>
        ) : null}
        {d.dispute ? (
          <tr>
            <th>{t('orders.dispute')}</th>
            <td class={d.dispute.status && disputeClosed(d.dispute.status) ? undefined : 'warn'} data-dispute>
              {d.dispute.status ? (
                <>
                  <strong data-dispute-status={d.dispute.status}>
                    {phrase(t, 'orders.dispute_status', d.dispute.status)}
                  </strong>
                  <br />
                </>
              ) : null}
              {t('orders.dispute_text', { date: date(d.dispute.openedAt), amount: money(d.dispute.amount) })}
              {d.dispute.dueBy && d.dispute.status && !disputeClosed(d.dispute.status) ? (
                <>
                  <br />
                  <span data-dispute-due={d.dispute.dueBy}>
                    {t('orders.dispute_due', { date: date(d.dispute.dueBy) })}
                  </span>
                </>
              ) : null}
            </td>
          </tr>
        ) : null}
        <tr>
          <th>{t('orders.line')}</th>
          <td>
            <a href={`/console/travellers/${d.userId}`}>{d.line}</a>
          </td>
        </tr>
        <tr>
          <th>{t('orders.telegram')}</th>
          <td>{d.telegramId}</td>
        </tr>
        <tr>
          <th>{t('orders.created')}</th>
          <td>{date(d.createdAt)}</td>
        </tr>
        {d.store ? (
          <tr>
            <th>{t('orders.store')}</th>
            <td data-store={d.store.id}>
              <a href="/console/stores">{d.store.name ?? d.store.id}</a>
            </td>
          </tr>
        ) : null}
        {d.failureReason ? (
          <tr>
            <th>{t('orders.failure')}</th>
            <td class="warn">{d.failureReason}</td>
          </tr>
        ) : null}
        {d.providerRef ? (
          <tr>
            <th>{t('orders.provider_ref')}</th>
            <td>{d.providerRef}</td>
          </tr>
        ) : null}
      </table>
      {esim}
      <h2>{t('orders.actions')}</h2>
      <p data-actions>
        {actions.length
          ? actions.map((a) => (
              <>
                <a class="button" href={`/console/orders/${d.orderId}/confirm/${a}`}>
                  {label[a]}
                </a>{' '}
              </>
            ))
          : t('orders.no_actions')}
      </p>
      <h2>{t('orders.ledger.title')}</h2>
      {d.ledger.length ? (
        <table class="ledger cards-on-phone">
          <thead>
            <tr>
              <th>{t('orders.ledger.when')}</th>
              <th>{t('orders.ledger.processor')}</th>
              <th>{t('orders.ledger.kind')}</th>
              <th>{t('orders.ledger.reference')}</th>
              <th>{t('orders.ledger.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {d.ledger.map((l) => (
              <tr data-ledger-kind={l.kind}>
                <td data-label={t('orders.ledger.when')}>{date(l.at)}</td>
                <td data-label={t('orders.ledger.processor')}>
                  {t(`orders.ledger.processors.${l.processor}`)}
                  {l.method ? ` · ${l.method}` : ''}
                </td>
                <td data-label={t('orders.ledger.kind')}>{t(`orders.ledger.kinds.${l.kind}`)}</td>
                <td data-label={t('orders.ledger.reference')}>
                  <code>{l.externalId}</code>
                </td>
                <td data-label={t('orders.ledger.amount')}>{money(l.amount)}</td>
              </tr>
            ))}
            <tr>
              <th colspan="4">{t('orders.ledger.total')}</th>
              <td data-ledger-total>{d.money.map((m) => money(m)).join(' · ')}</td>
            </tr>
          </tbody>
        </table>
      ) : (
        <p>{t('orders.ledger.none')}</p>
      )}
      <h2>{t('orders.timeline')}</h2>
      <table class="timeline cards-on-phone">
        <tbody>
          {d.timeline.map((e) => (
            <tr>
              <td>{date(e.at)}</td>
              <td>{timelineTitle(ctx, e)}</td>
              <td>{timelineDetail(ctx, e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.audit.length ? (
        <>
          <h2>{t('orders.audit')}</h2>
          <table class="cards-on-phone">
            <tbody>
              {d.audit.map((a) => (
                <tr>
                  <td>{date(a.at)}</td>
                  <td>{operatorName(ctx, a.actorId)}</td>
                  <td>{phrase(t, 'audit.action', a.action)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </>
  );
}

/**
 * The confirmation step: the action happens only when this form is posted; `key` makes a double submit
 * one action. An action the order's state does not allow says why, with nothing to confirm.
 */
export function confirmView(ctx: PageContext, d: OrderDetail, action: OrderAction, key: string) {
  const { t, money } = ctx.locale;
  const back = <a href={`/console/orders/${d.orderId}`}>{t('orders.cancel')}</a>;
  if (!canApply(d, action))
    return (
      <>
        <p class="warn" data-cannot>
          {action === 'refund' && d.dispute
            ? t('orders.disputed_no_refund')
            : `${t(CANNOT[action])} ${t('orders.now_state', { state: t(`state.${d.state}`) })}`}
        </p>
        <p>{back}</p>
      </>
    );
  return (
    <>
      <p>
        {action === 'refund' && d.payment?.method === 'stars'
          ? t('orders.confirm_refund_stars', { number: d.orderNumber, amount: amountText(ctx, d) })
          : t(`orders.confirm_${action}`, { number: d.orderNumber, amount: money(d.price) })}
      </p>
      <PostForm action={`/console/orders/${d.orderId}/${action}`} csrf={ctx.csrf}>
        <input type="hidden" name="key" value={key} />
        <button type="submit" class={action === 'refund' || action === 'fail' ? 'danger' : undefined}>
          {t('orders.confirm')}
        </button>{' '}
        {back}
      </PostForm>
    </>
  );
}
