import type { TravellerView } from '../../services/console/travellers.js';
import { form, html, type Html } from './html.js';
import type { PageContext } from './layout.js';

export function travellerSearchView(
  ctx: PageContext,
  q: string,
  found: Array<{ userId: string; telegramId: number; lines: string[] }> | null,
): Html {
  const { t } = ctx.locale;
  return html`<form method="get" action="/console/travellers">
      <input
        name="q"
        value="${q}"
        placeholder="${t('travellers.search')}"
        aria-label="${t('travellers.search')}"
        size="40"
      />
      <button type="submit">${t('orders.find')}</button>
    </form>
    ${
      found === null
        ? ''
        : found.length
          ? html`<table>
              ${found.map(
                (u) =>
                  html`<tr>
                    <td><a href="/console/travellers/${u.userId}">${u.telegramId}</a></td>
                    <td>${u.lines.join(', ')}</td>
                  </tr>`,
              )}
            </table>`
          : html`<p>${t('travellers.none')}</p>`
    }`;
}

/** `revealed`: a line's full identifier, shown once after an audited reveal. */
export function travellerView(
  ctx: PageContext,
  u: TravellerView,
  revealed: { lineId: string; identifier: string } | null,
): Html {
  const { t, date, money } = ctx.locale;
  return html`<table>
      <tr>
        <th>${t('orders.telegram')}</th>
        <td>${u.telegramId}</td>
      </tr>
      <tr>
        <th>${t('travellers.language')}</th>
        <td>${u.language}</td>
      </tr>
      <tr>
        <th>${t('travellers.timezone')}</th>
        <td>${u.timezone}</td>
      </tr>
      <tr>
        <th>${t('travellers.reachable')}</th>
        <td class="${u.reachable ? 'ok' : 'warn'}">${u.reachable ? t('travellers.yes') : t('travellers.no')}</td>
      </tr>
    </table>
    <h2>${t('travellers.lines')}</h2>
    <table>
      ${u.lines.map(
        (l) =>
          html`<tr>
            <td>
              ${revealed?.lineId === l.lineId ? html`<strong data-revealed>${revealed.identifier}</strong><br /><span class="muted">${t('travellers.revealed')}</span>` : l.masked}
              ${revealed?.lineId === l.lineId ? '' : form(`/console/lines/${l.lineId}/reveal`, ctx.csrf, html`<button type="submit">${t('travellers.reveal')}</button>`, 'class="inline"')}
            </td>
            <td>${l.carrier}${l.label ? ` · ${l.label}` : ''}${l.unlinked ? ` · ${t('travellers.unlinked')}` : ''}</td>
            <td>${l.planCode ?? ''}</td>
            <td>${t('travellers.expires')}: ${l.expiresAt ? date(l.expiresAt) : '—'}</td>
            <td>
              ${t('travellers.auto_renew')}:
              ${l.autoRenew ? `${l.autoRenew.state} · ${l.autoRenew.planCode} · ≤ ${money({ amountMinor: l.autoRenew.capMinor, currency: l.autoRenew.currency })}${l.autoRenew.card ? ` · ${l.autoRenew.card}` : ''}` : t('travellers.off')}
            </td>
          </tr>`,
      )}
    </table>
    <h2>${t('travellers.orders')}</h2>
    <table>
      ${u.orders.map(
        (o) =>
          html`<tr>
            <td><a href="/console/orders/${o.orderId}">${o.orderNumber}</a></td>
            <td>${t(`state.${o.state}`)}</td>
            <td>${money(o)}</td>
            <td>${date(o.createdAt)}</td>
          </tr>`,
      )}
    </table>`;
}
