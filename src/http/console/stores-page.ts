import type { PartnerStoreRow } from '../../services/console/stores.js';
import { html, type Html } from './html.js';
import type { PageContext } from './layout.js';

/** Each partner store with the link the operator hands it (for its counter's QR code) and what it brought in. */
export function storesView(ctx: PageContext, stores: PartnerStoreRow[], linkOf: (storeId: string) => string): Html {
  const { t, number } = ctx.locale;
  if (!stores.length) return html`<p>${t('stores.none')}</p>`;
  return html`<p class="muted">${t('stores.explain')}</p>
    <table>
      <tr>
        <th>${t('stores.name')}</th>
        <th>${t('stores.city')}</th>
        <th>${t('stores.link')}</th>
        <th>${t('stores.qr')}</th>
        <th>${t('stores.renewals_30d')}</th>
        <th>${t('stores.opens_30d')}</th>
      </tr>
      ${stores.map(
        (s) =>
          html`<tr data-store="${s.id}">
            <td>${s.name}${s.active ? '' : html` <span class="muted">(${t('stores.inactive')})</span>`}</td>
            <td>${s.city}</td>
            <td><input readonly size="44" value="${linkOf(s.id)}" aria-label="${t('stores.link')}: ${s.name}" /></td>
            <td>
              <a href="/console/stores/${s.id}/qr.svg" download="kuota-${s.id}.svg"
                ><img src="/console/stores/${s.id}/qr.svg" width="96" height="96" alt="${t('stores.qr')}: ${s.name}"
              /></a>
            </td>
            <td data-renewals>${number(s.renewals30d)}</td>
            <td>${number(s.opens30d)}</td>
          </tr>`,
      )}
    </table>`;
}
