import type { TravellerView } from '../../services/console/travellers.js';
import { Fragment, h } from './jsx.js';
import { phrase } from './labels.js';
import { PostForm, type PageContext } from './layout.js';

export function travellerSearchView(
  ctx: PageContext,
  q: string,
  found: Array<{ userId: string; telegramId: number; lines: string[] }> | null,
) {
  const { t } = ctx.locale;
  return (
    <>
      <form method="get" action="/console/travellers" class="search">
        <input name="q" value={q} placeholder={t('travellers.search')} aria-label={t('travellers.search')} />
        <button type="submit">{t('orders.find')}</button>
      </form>
      {found === null ? null : found.length ? (
        <table class="cards-on-phone">
          <tbody>
            {found.map((u) => (
              <tr>
                <td>
                  <a href={`/console/travellers/${u.userId}`}>{u.telegramId}</a>
                </td>
                <td>{u.lines.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('travellers.none')}</p>
      )}
    </>
  );
}

/** `revealed`: a line's full identifier, shown once after an audited reveal. */
export function travellerView(
  ctx: PageContext,
  u: TravellerView,
  revealed: { lineId: string; identifier: string } | null,
) {
  const { t, date, money, language } = ctx.locale;
  const languageName = new Intl.DisplayNames([language], { type: 'language' }).of(u.language) ?? u.language;
  return (
    <>
      <table>
        <tr>
          <th>{t('orders.telegram')}</th>
          <td>{u.telegramId}</td>
        </tr>
        <tr>
          <th>{t('travellers.language')}</th>
          <td>{languageName}</td>
        </tr>
        <tr>
          <th>{t('travellers.timezone')}</th>
          <td>{u.timezone}</td>
        </tr>
        <tr>
          <th>{t('travellers.reachable')}</th>
          <td class={u.reachable ? 'ok' : 'warn'}>{u.reachable ? t('travellers.yes') : t('travellers.no')}</td>
        </tr>
      </table>
      <h2>{t('travellers.lines')}</h2>
      <table class="cards-on-phone">
        <tbody>
          {u.lines.map((l) => (
            <tr>
              <td>
                {revealed?.lineId === l.lineId ? (
                  <>
                    <strong data-revealed>{revealed.identifier}</strong>
                    <br />
                    <span class="muted">{t('travellers.revealed')}</span>
                  </>
                ) : (
                  <>
                    {l.masked}{' '}
                    <PostForm action={`/console/lines/${l.lineId}/reveal`} csrf={ctx.csrf} class="inline">
                      <button type="submit">{t('travellers.reveal')}</button>
                    </PostForm>
                  </>
                )}
              </td>
              <td>
                {l.carrier}
                {l.label ? ` · ${l.label}` : ''}
                {l.unlinked ? ` · ${t('travellers.unlinked')}` : ''}
              </td>
              <td>{l.planCode ?? ''}</td>
              <td>
                {t('travellers.expires')}: {l.expiresAt ? date(l.expiresAt) : '—'}
              </td>
              <td data-auto-renew>
                {t('travellers.auto_renew')}:{' '}
                {l.autoRenew
                  ? [
                      phrase(t, 'auto_renew_state', l.autoRenew.state),
                      l.autoRenew.planCode,
                      `≤ ${money({ amountMinor: l.autoRenew.capMinor, currency: l.autoRenew.currency })}`,
                      ...(l.autoRenew.card ? [l.autoRenew.card] : []),
                    ].join(' · ')
                  : t('travellers.off')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('travellers.orders')}</h2>
      <table class="cards-on-phone">
        <tbody>
          {u.orders.map((o) => (
            <tr>
              <td>
                <a href={`/console/orders/${o.orderId}`}>{o.orderNumber}</a>
              </td>
              <td>{t(`state.${o.state}`)}</td>
              <td>{money(o)}</td>
              <td>{date(o.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
