import { SYSTEM_ACTOR, type AuditView } from '../../services/audit.js';
import type { BalanceReading } from '../../services/console/provider-balance.js';
import { form, html, type Html } from './html.js';
import type { PageContext } from './layout.js';

export function providerView(
  ctx: PageContext,
  opts: {
    supported: boolean;
    reading: BalanceReading | null;
    thresholdMinor: number | undefined;
    unreachable: boolean;
  },
): Html {
  const { t, money, date } = ctx.locale;
  if (!opts.supported) return html`<p>${t('provider.unsupported')}</p>`;
  const r = opts.reading;
  return html`${opts.unreachable ? html`<p class="warn">${t('provider.unreachable')}</p>` : ''}
    ${r ? html`<div class="card"><span class="muted">${t('provider.balance')}</span><b class="${r.below ? 'warn' : ''}" data-balance>${money(r)}</b>${r.below ? html`<span class="warn">${t('provider.below')}</span><br />` : ''}<span class="muted">${t('provider.checked', { date: date(r.checkedAt) })}</span></div>` : ''}
    <p>
      ${opts.thresholdMinor !== undefined ? t('provider.threshold', { amount: money({ amountMinor: opts.thresholdMinor, currency: r?.currency ?? 'IDR' }) }) : t('provider.no_threshold')}
    </p>
    ${form('/console/provider/check', ctx.csrf, html`<button type="submit">${t('provider.check')}</button>`)}`;
}

export function auditView(ctx: PageContext, entries: AuditView[]): Html {
  const { t, date } = ctx.locale;
  const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));
  if (!entries.length) return html`<p>${t('audit.none')}</p>`;
  return html`<table>
    <tr>
      <th>${t('audit.when')}</th>
      <th>${t('audit.who')}</th>
      <th>${t('audit.what')}</th>
      <th>${t('audit.subject')}</th>
      <th>${t('audit.change')}</th>
    </tr>
    ${entries.map(
      (e) =>
        html`<tr>
          <td>${date(e.at)}</td>
          <td>${e.actorId === SYSTEM_ACTOR ? t('audit.system') : e.actorId}</td>
          <td>${e.action}</td>
          <td>${e.subject ?? ''}</td>
          <td><code>${json(e.before)}</code> → <code>${json(e.after)}</code></td>
        </tr>`,
    )}
  </table>`;
}
