import type { ConsoleEsim } from '../../services/console/esim-orders.js';
import { Fragment, h, type Markup } from './jsx.js';
import { PostForm, type PageContext } from './layout.js';

/** Where a new eSIM stands: installed, delivered and not installed yet, or not delivered. */
export function installState(e: ConsoleEsim): 'installed' | 'not_installed' | 'not_delivered' {
  return e.installedAt ? 'installed' : e.deliveredAt ? 'not_installed' : 'not_delivered';
}

/**
 * The new eSIM of an order: its ICCID (masked, revealed on request and audited, as for numbers), the
 * install state the partner reports, the refund window while it is not installed, the partner's
 * order and refund references, and "Resend install details".
 */
export function esimOrderSection(ctx: PageContext, orderId: string, e: ConsoleEsim, revealed: string | null): Markup {
  const { t, date } = ctx.locale;
  const state = installState(e);
  return (
    <>
      <h2>{t('orders.esim.title')}</h2>
      <table data-esim>
        <tr>
          <th>{t('orders.esim.destination')}</th>
          <td>{e.destination}</td>
        </tr>
        <tr>
          <th>ICCID</th>
          <td data-iccid>
            {revealed ? (
              <>
                <strong data-revealed>{revealed}</strong>
                <br />
                <span class="muted">{t('travellers.revealed')}</span>
              </>
            ) : e.iccid ? (
              <>
                {e.iccid}{' '}
                <PostForm action={`/console/orders/${orderId}/esim/reveal`} csrf={ctx.csrf} class="inline">
                  <button type="submit">{t('travellers.reveal')}</button>
                </PostForm>
              </>
            ) : (
              '—'
            )}
          </td>
        </tr>
        <tr>
          <th>{t('orders.esim.install')}</th>
          <td data-install-state={state} class={state === 'installed' ? 'ok' : undefined}>
            {state === 'installed'
              ? t('orders.esim.installed', { date: date(e.installedAt!) })
              : state === 'not_installed'
                ? t('orders.esim.not_installed', { date: date(e.deliveredAt!) })
                : t('orders.esim.not_delivered')}
            {e.nudgedAt ? <span class="muted"> · {t('orders.esim.nudged', { date: date(e.nudgedAt) })}</span> : null}
          </td>
        </tr>
        <tr>
          <th>{t('orders.esim.refund')}</th>
          <td data-esim-refund>
            {state === 'installed'
              ? t('orders.esim.refund_installed')
              : e.refundableUntil
                ? t('orders.esim.refund_until', { date: date(e.refundableUntil) })
                : '—'}
          </td>
        </tr>
        {e.partnerOrderRef ? (
          <tr>
            <th>{t('orders.esim.partner_order')}</th>
            <td>
              <code>{e.partnerOrderRef}</code>
            </td>
          </tr>
        ) : null}
        {e.partnerRefundRef ? (
          <tr>
            <th>{t('orders.esim.partner_refund')}</th>
            <td data-partner-refund>
              <code>{e.partnerRefundRef}</code>
            </td>
          </tr>
        ) : null}
      </table>
      {e.deliveredAt ? (
        <PostForm action={`/console/orders/${orderId}/esim/resend`} csrf={ctx.csrf}>
          <button type="submit">{t('orders.esim.resend')}</button>
        </PostForm>
      ) : null}
    </>
  );
}
