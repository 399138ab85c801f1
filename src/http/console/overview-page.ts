import { PERIODS } from '../../domain/console.js';
import type { Overview } from '../../services/console/overview.js';
import { Html, html } from './html.js';
import type { PageContext } from './layout.js';

/** Revenue, orders, renewals, top-ups, delivery and balance at a glance; two charts drawn by chart.js in the browser. */
export function overviewView(ctx: PageContext, o: Overview): Html {
  const { t, money, number, percent, date } = ctx.locale;
  const card = (label: string, value: string, warn = false) =>
    html`<div class="card"><span class="muted">${label}</span><b class="${warn ? 'warn' : ''}">${value}</b></div>`;
  const week = o.periods['7d'];
  const chartData = {
    daily: {
      labels: o.daily.map((d) =>
        new Intl.DateTimeFormat(ctx.locale.language, {
          timeZone: ctx.locale.timezone,
          month: 'short',
          day: 'numeric',
        }).format(new Date(d.day)),
      ),
      values: o.daily.map((d) => d.orders),
      label: t('overview.daily'),
    },
    states: {
      labels: Object.keys(o.periods['30d'].ordersByState).map((s) => t(`state.${s}`)),
      values: Object.values(o.periods['30d'].ordersByState),
      label: t('overview.orders_by_state'),
    },
  };
  return html` <section>
      <h2>${t('overview.revenue')}</h2>
      <table>
        <tr>
          <th></th>
          ${PERIODS.map((p) => html`<th>${t(`period.${p}`)}</th>`)}
        </tr>
        <tr>
          <td>${t('overview.revenue')}</td>
          ${PERIODS.map((p) => html`<td data-revenue="${p}">${o.periods[p].revenue.map((m) => money(m)).join(' + ') || t('overview.none')}</td>`)}
        </tr>
        ${['chat', 'reminder', 'auto_renew', 'store'].map(
          (c) =>
            html`<tr>
              <td>${t('overview.renewals_by_channel')}: ${t(`overview.channel.${c}`)}</td>
              ${PERIODS.map((p) => html`<td>${number(o.periods[p].renewalsByChannel[c] ?? 0)}</td>`)}
            </tr>`,
        )}
        <tr>
          <td>${t('overview.reminders_sent')}</td>
          ${PERIODS.map((p) => html`<td>${number(o.periods[p].remindersSent)}</td>`)}
        </tr>
        <tr>
          <td>${t('overview.conversion')}</td>
          ${PERIODS.map((p) => html`<td>${o.periods[p].reminderConversion === null ? '—' : percent(o.periods[p].reminderConversion)}</td>`)}
        </tr>
        <tr>
          <td>${t('overview.auto_renew_refusals')}</td>
          ${PERIODS.map((p) => html`<td>${number(o.periods[p].autoRenewOverBudget)}</td>`)}
        </tr>
        <tr>
          <td>${t('overview.auto_renew_declines')}</td>
          ${PERIODS.map((p) => html`<td>${number(o.periods[p].autoRenewDeclined)}</td>`)}
        </tr>
      </table>
    </section>
    <h2>${t('overview.orders_by_state')}</h2>
    <table>
      <tr>
        <th></th>
        ${PERIODS.map((p) => html`<th>${t(`period.${p}`)}</th>`)}
      </tr>
      ${Object.keys(o.periods['30d'].ordersByState).map(
        (s) =>
          html`<tr>
            <td>${t(`state.${s}`)}</td>
            ${PERIODS.map((p) => html`<td>${number(o.periods[p].ordersByState[s] ?? 0)}</td>`)}
          </tr>`,
      )}
    </table>
    <h2>${t('overview.topups')} · ${t('overview.delivery')} · ${t('overview.balance')}</h2>
    <div class="cards">
      ${card(t('overview.failing'), number(o.topUps.failing), o.topUps.failing > 0)}${card(t('overview.stuck'), number(o.topUps.stuck), o.topUps.stuck > 0)}
      ${card(t('overview.refunded_after_failure'), number(o.topUps.refundedAfterFailure30d))}
      ${card(t('overview.queued'), number(o.delivery.queued))}${card(t('overview.rate'), number(o.delivery.sentPerMinute))}
      ${card(t('overview.failed'), number(o.delivery.failed))}${card(t('overview.unreachable'), number(o.delivery.unreachableTravellers))}
      ${card(t('overview.balance'), o.balance ? `${money(o.balance)} · ${date(o.balance.checkedAt)}` : t('overview.balance_unknown'), o.balance?.below ?? false)}
      ${card(t('overview.conversion') + ` (${t('period.7d')})`, week.reminderConversion === null ? '—' : percent(week.reminderConversion))}
    </div>
    <h2>${t('overview.daily')}</h2>
    <canvas id="daily-chart" aria-label="${t('overview.daily')}"></canvas>
    <h2>${t('overview.orders_by_state')} (${t('period.30d')})</h2>
    <canvas id="states-chart" aria-label="${t('overview.orders_by_state')}"></canvas>
    <script type="application/json" id="chart-data">
      ${new Html(JSON.stringify(chartData).replace(/</g, '\\u003c'))}
    </script>`;
}
