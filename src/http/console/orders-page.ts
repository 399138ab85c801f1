import { ORDER_STATES } from '../../domain/order-state.js';
import type { OrderDetail, OrderRow } from '../../services/console/orders.js';
import { SYSTEM_ACTOR } from '../../services/audit.js';
import { form, html, type Html } from './html.js';
import type { PageContext } from './layout.js';

export type OrderAction = 'refund' | 'retry' | 'resend' | 'fail';

export function ordersView(
  ctx: PageContext,
  query: Record<string, string>,
  rows: OrderRow[],
  next: string | null,
): Html {
  const { t, money, date } = ctx.locale;
  const nextHref = next ? `/console/orders?${new URLSearchParams({ ...query, cursor: next }).toString()}` : null;
  return html`<form method="get" action="/console/orders">
      <input
        name="q"
        value="${query.q ?? ''}"
        placeholder="${t('orders.search')}"
        aria-label="${t('orders.search')}"
        size="40"
      />
      <select name="state" aria-label="${t('orders.state')}">
        <option value="">${t('orders.any_state')}</option>
        ${ORDER_STATES.map((s) => html`<option value="${s}" ${s === query.state ? html`selected` : ''}>${t(`state.${s}`)}</option>`)}
      </select>
      <label>${t('orders.from')} <input type="date" name="from" value="${query.from ?? ''}" /></label>
      <label>${t('orders.to')} <input type="date" name="to" value="${query.to ?? ''}" /></label>
      <button type="submit">${t('orders.find')}</button>
    </form>
    ${
      rows.length
        ? html`<table>
            <tr>
              <th>${t('orders.number')}</th>
              <th>${t('orders.state')}</th>
              <th>${t('orders.plan')}</th>
              <th>${t('orders.line')}</th>
              <th>${t('orders.amount')}</th>
              <th>${t('orders.telegram')}</th>
              <th>${t('orders.created')}</th>
            </tr>
            ${rows.map(
              (r) =>
                html`<tr>
                  <td><a href="/console/orders/${r.orderId}">${r.orderNumber}</a></td>
                  <td>${t(`state.${r.state}`)}</td>
                  <td>${r.plan}</td>
                  <td>${r.line}</td>
                  <td>${money(r.price)}</td>
                  <td>${r.telegramId}</td>
                  <td>${date(r.createdAt)}</td>
                </tr>`,
            )}
          </table>`
        : html`<p>${t('orders.none')}</p>`
    }
    ${nextHref ? html`<p><a href="${nextHref}">${t('orders.next')}</a></p>` : ''}`;
}

export function orderView(ctx: PageContext, d: OrderDetail, result: string | null): Html {
  const { t, money, date } = ctx.locale;
  const detailText = (e: OrderDetail['timeline'][number]) => {
    const bits: string[] = [];
    if (e.kind === 'topup_status' && e.detail)
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the event's detail holds strings
      bits.push(String(e.detail.status), e.detail.reason ? String(e.detail.reason) : '');
    if (e.kind === 'message_queued' && e.detail)
      bits.push(String(e.detail.kind), t('orders.delivery', { state: e.delivery ?? '' }));
    if (
      (e.kind === 'payment_paid' || e.kind === 'checkout_created' || e.kind === 'drafted') &&
      e.detail?.amountMinor !== undefined
    )
      bits.push(money({ amountMinor: Number(e.detail.amountMinor), currency: String(e.detail.currency) }));
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the event's detail holds strings
    if (e.kind === 'drafted' && e.detail?.source) bits.push(String(e.detail.source));
    return bits.filter(Boolean).join(' · ');
  };
  const actionLink = (a: OrderAction, label: string) =>
    html`<a class="button" href="/console/orders/${d.orderId}/confirm/${a}">${label}</a> `;
  return html`${result ? html`<p class="notice" role="status">${t(`orders.result.${result}`)}</p>` : ''}
    <table>
      <tr>
        <th>${t('orders.state')}</th>
        <td data-state="${d.state}">${t(`state.${d.state}`)}</td>
      </tr>
      <tr>
        <th>${t('orders.plan')}</th>
        <td>${d.plan}</td>
      </tr>
      <tr>
        <th>${t('orders.amount')}</th>
        <td>${money(d.price)}</td>
      </tr>
      <tr>
        <th>${t('orders.line')}</th>
        <td><a href="/console/travellers/${d.userId}">${d.line}</a></td>
      </tr>
      <tr>
        <th>${t('orders.telegram')}</th>
        <td>${d.telegramId}</td>
      </tr>
      <tr>
        <th>${t('orders.created')}</th>
        <td>${date(d.createdAt)}</td>
      </tr>
      ${
        d.store
          ? html`<tr>
              <th>${t('orders.store')}</th>
              <td data-store="${d.store.id}"><a href="/console/stores">${d.store.name ?? d.store.id}</a></td>
            </tr>`
          : ''
      }
      ${
        d.failureReason
          ? html`<tr>
              <th>${t('orders.failure')}</th>
              <td class="warn">${d.failureReason}</td>
            </tr>`
          : ''
      }
      ${
        d.providerRef
          ? html`<tr>
              <th>${t('orders.provider_ref')}</th>
              <td>${d.providerRef}</td>
            </tr>`
          : ''
      }
    </table>
    <h2>${t('orders.actions')}</h2>
    <p>
      ${d.actions.refund ? actionLink('refund', t('orders.refund')) : ''}${d.actions.retryTopUp ? actionLink('retry', t('orders.retry')) : ''}${d.actions.resendReceipt ? actionLink('resend', t('orders.resend')) : ''}${d.actions.markFailed ? actionLink('fail', t('orders.fail')) : ''}
    </p>
    <h2>${t('orders.ledger.title')}</h2>
    ${
      d.ledger.length
        ? html`<table class="ledger">
            <tr>
              <th>${t('orders.ledger.when')}</th>
              <th>${t('orders.ledger.processor')}</th>
              <th>${t('orders.ledger.kind')}</th>
              <th>${t('orders.ledger.reference')}</th>
              <th>${t('orders.ledger.amount')}</th>
            </tr>
            ${d.ledger.map(
              (l) =>
                html`<tr data-ledger-kind="${l.kind}">
                  <td>${date(l.at)}</td>
                  <td>${t(`orders.ledger.processors.${l.processor}`)}${l.method ? ` · ${l.method}` : ''}</td>
                  <td>${t(`orders.ledger.kinds.${l.kind}`)}</td>
                  <td><code>${l.externalId}</code></td>
                  <td>${money(l.amount)}</td>
                </tr>`,
            )}
            <tr>
              <th colspan="4">${t('orders.ledger.total')}</th>
              <td data-ledger-total>${d.money.map((m) => money(m)).join(' · ')}</td>
            </tr>
          </table>`
        : html`<p>${t('orders.ledger.none')}</p>`
    }
    <h2>${t('orders.timeline')}</h2>
    <table class="timeline">
      ${d.timeline.map(
        (e) =>
          html`<tr>
            <td>${date(e.at)}</td>
            <td>${t(`event.${e.kind}`)}</td>
            <td>${detailText(e)}</td>
          </tr>`,
      )}
    </table>
    ${
      d.audit.length
        ? html`<h2>${t('orders.audit')}</h2>
            <table>
              ${d.audit.map(
                (a) =>
                  html`<tr>
                    <td>${date(a.at)}</td>
                    <td>${a.actorId === SYSTEM_ACTOR ? t('audit.system') : a.actorId}</td>
                    <td>${a.action}</td>
                  </tr>`,
              )}
            </table>`
        : ''
    }`;
}

/** The confirmation step: the action happens only when this form is posted; `key` makes a double submit one action. */
export function confirmView(ctx: PageContext, d: OrderDetail, action: OrderAction, key: string): Html {
  const { t, money } = ctx.locale;
  const text = t(`orders.confirm_${action}`, { number: d.orderNumber, amount: money(d.price) });
  return html`<p>${text}</p>
    ${form(
      `/console/orders/${d.orderId}/${action}`,
      ctx.csrf,
      html`<input type="hidden" name="key" value="${key}" />
        <button type="submit" class="${action === 'refund' || action === 'fail' ? 'danger' : ''}">
          ${t('orders.confirm')}
        </button>
        <a href="/console/orders/${d.orderId}">${t('orders.cancel')}</a>`,
    )}`;
}
