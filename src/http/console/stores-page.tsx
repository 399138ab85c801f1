import type { PartnerStoreRow } from '../../services/console/stores.js';
import { Fragment, h } from './jsx.js';
import { allowed, PostForm, type PageContext } from './layout.js';
import type { StoreResult } from './store-form-page.js';

/** Each partner store with the link the operator hands it (for its counter's QR code) and what it brought in. */
export function storesView(
  ctx: PageContext,
  stores: PartnerStoreRow[],
  linkOf: (storeId: string) => string,
  result: StoreResult | null = null,
) {
  const { t, number, money, field } = ctx.locale;
  const owner = allowed(ctx, 'stores');
  const top = (
    <>
      {result ? (
        <p class="notice" role="status">
          {t(`stores.form.result.${result}`)}
        </p>
      ) : null}
      {owner ? (
        <p>
          <a class="button" href="/console/stores/add">
            {t('stores.add')}
          </a>
        </p>
      ) : null}
    </>
  );
  if (!stores.length)
    return (
      <>
        {top}
        <p>{t('stores.none')}</p>
      </>
    );
  return (
    <>
      {top}
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
            <th>{t('stores.revenue_30d')}</th>
            {owner ? <th></th> : null}
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
                <input readonly value={linkOf(s.id)} aria-label={field(t('stores.link'), s.name)} />
              </td>
              <td>
                <a href={`/console/stores/${s.id}/qr.svg`} download={`kuota-${s.id}.svg`}>
                  <img
                    class="qr"
                    src={`/console/stores/${s.id}/qr.svg`}
                    width="96"
                    height="96"
                    alt={field(t('stores.qr'), s.name)}
                  />
                </a>
              </td>
              <td data-label={t('stores.renewals_30d')} data-renewals>
                {number(s.renewals30d)}
              </td>
              <td data-label={t('stores.opens_30d')}>{number(s.opens30d)}</td>
              <td data-label={t('stores.revenue_30d')} data-revenue>
                {s.revenue30d.length ? s.revenue30d.map(money).join(', ') : t('stores.no_revenue')}
              </td>
              {owner ? (
                <td>
                  <a href={`/console/stores/${s.id}/edit`}>{t('stores.edit')}</a>{' '}
                  <PostForm action={`/console/stores/${s.id}/switch`} csrf={ctx.csrf} class="inline">
                    <input type="hidden" name="active" value={s.active ? 'false' : 'true'} />
                    <button type="submit">{s.active ? t('stores.form.switch_off') : t('stores.form.switch_on')}</button>
                  </PostForm>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
