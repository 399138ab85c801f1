import type { PartnerStoreRow } from '../../services/console/stores.js';
import { Fragment, h } from './jsx.js';
import type { PageContext } from './layout.js';

/** Each partner store with the link the operator hands it (for its counter's QR code) and what it brought in. */
export function storesView(ctx: PageContext, stores: PartnerStoreRow[], linkOf: (storeId: string) => string) {
  const { t, number } = ctx.locale;
  if (!stores.length) return <p>{t('stores.none')}</p>;
  return (
    <>
      <p class="muted">{t('stores.explain')}</p>
      <table class="cards-on-phone">
        <thead>
          <tr>
            <th>{t('stores.name')}</th>
            <th>{t('stores.city')}</th>
            <th>{t('stores.link')}</th>
            <th>{t('stores.qr')}</th>
            <th>{t('stores.renewals_30d')}</th>
            <th>{t('stores.opens_30d')}</th>
          </tr>
        </thead>
        <tbody>
          {stores.map((s) => (
            <tr data-store={s.id}>
              <td>
                <b>{s.name}</b>
                {s.active ? null : <span class="muted"> ({t('stores.inactive')})</span>}
              </td>
              <td data-label={t('stores.city')}>{s.city}</td>
              <td data-label={t('stores.link')}>
                <input readonly value={linkOf(s.id)} aria-label={`${t('stores.link')}: ${s.name}`} />
              </td>
              <td>
                <a href={`/console/stores/${s.id}/qr.svg`} download={`kuota-${s.id}.svg`}>
                  <img
                    class="qr"
                    src={`/console/stores/${s.id}/qr.svg`}
                    width="96"
                    height="96"
                    alt={`${t('stores.qr')}: ${s.name}`}
                  />
                </a>
              </td>
              <td data-label={t('stores.renewals_30d')} data-renewals>
                {number(s.renewals30d)}
              </td>
              <td data-label={t('stores.opens_30d')}>{number(s.opens30d)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
