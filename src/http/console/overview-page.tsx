import { PERIODS } from '../../domain/console.js';
import type { Overview } from '../../services/console/overview.js';
import type { StarBalanceReading } from '../../services/console/stars-balance.js';
import { Fragment, h, type Markup } from './jsx.js';
import type { PageContext } from './layout.js';

function Card(props: { label: string; value: string; warn?: boolean }): Markup {
  return (
    <div class="card">
      <span class="muted">{props.label}</span>
      <b class={props.warn ? 'warn' : undefined}>{props.value}</b>
    </div>
  );
}

/** The bot's Stars at Telegram, or a plain line when Telegram could not be asked. */
function StarsCard(props: { ctx: PageContext; reading: StarBalanceReading }): Markup {
  const { t, number, date } = props.ctx.locale;
  const { reading } = props;
  return (
    <div class="card" data-stars-balance={reading ? 'read' : 'unreachable'}>
      <span class="muted">{t('overview.stars_balance')}</span>
      {reading ? (
        <b title={date(reading.readAt)}>{t('overview.stars_balance_value', { amount: number(reading.stars) })}</b>
      ) : (
        <b class="warn">{t('overview.stars_balance_unreachable')}</b>
      )}
    </div>
  );
}

/** Revenue, orders, renewals, top-ups, delivery and balance at a glance; two charts drawn by chart.js in the browser. */
export function overviewView(ctx: PageContext, o: Overview, stars: StarBalanceReading) {
  const { t, money, number, percent, date, field } = ctx.locale;
  const week = o.periods['7d'];
  // Stars are counted as Stars (XTR in the ledger), as the order page writes them, not as money in a currency code.
  const revenue = (m: Overview['periods']['today']['revenue'][number]) =>
    m.currency === 'XTR' ? t('orders.stars_amount', { amount: number(m.amountMinor) }) : money(m);
  const states = Object.keys(o.periods['30d'].ordersByState);
  // Handed to public/console/console.js in a data attribute: no inline script is allowed.
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
      codes: states,
      labels: states.map((s) => t(`state.${s}`)),
      values: Object.values(o.periods['30d'].ordersByState),
      label: t('overview.orders_by_state'),
    },
  };
  const periodHead = (
    <thead>
      <tr>
        <th></th>
        {PERIODS.map((p) => (
          <th>{t(`period.${p}`)}</th>
        ))}
      </tr>
    </thead>
  );
  const row = (label: string, cell: (p: (typeof PERIODS)[number]) => string) => (
    <tr>
      <td>{label}</td>
      {PERIODS.map((p) => (
        <td data-label={t(`period.${p}`)}>{cell(p)}</td>
      ))}
    </tr>
  );
  return (
    <>
      <section>
        <h2>{t('overview.revenue')}</h2>
        <table class="cards-on-phone">
          {periodHead}
          <tbody>
            <tr>
              <td>{t('overview.revenue')}</td>
              {PERIODS.map((p) => (
                <td data-revenue={p} data-label={t(`period.${p}`)}>
                  {o.periods[p].revenue.map(revenue).join(' + ') || t('overview.none')}
                </td>
              ))}
            </tr>
            {['chat', 'reminder', 'auto_renew', 'store'].map((c) =>
              row(field(t('overview.renewals_by_channel'), t(`overview.channel.${c}`)), (p) =>
                number(o.periods[p].renewalsByChannel[c] ?? 0),
              ),
            )}
            <tr>
              <td>{t('overview.new_esims')}</td>
              {PERIODS.map((p) => (
                <td data-new-esims={p} data-label={t(`period.${p}`)}>
                  {number(o.periods[p].newEsimsSold)}
                </td>
              ))}
            </tr>
            {row(t('overview.reminders_sent'), (p) => number(o.periods[p].remindersSent))}
            {row(t('overview.conversion'), (p) =>
              o.periods[p].reminderConversion === null ? '—' : percent(o.periods[p].reminderConversion),
            )}
            {row(t('overview.auto_renew_refusals'), (p) => number(o.periods[p].autoRenewOverBudget))}
            {row(t('overview.auto_renew_declines'), (p) => number(o.periods[p].autoRenewDeclined))}
          </tbody>
        </table>
      </section>
      <h2>{t('overview.orders_by_state')}</h2>
      <table class="cards-on-phone">
        {periodHead}
        <tbody>{states.map((s) => row(t(`state.${s}`), (p) => number(o.periods[p].ordersByState[s] ?? 0)))}</tbody>
      </table>
      <h2>
        {t('overview.topups')} · {t('overview.delivery')} · {t('overview.balance')}
      </h2>
      <div class="cards">
        <Card label={t('overview.failing')} value={number(o.topUps.failing)} warn={o.topUps.failing > 0} />
        <Card label={t('overview.stuck')} value={number(o.topUps.stuck)} warn={o.topUps.stuck > 0} />
        <Card label={t('overview.refunded_after_failure')} value={number(o.topUps.refundedAfterFailure30d)} />
        <Card label={t('overview.queued')} value={number(o.delivery.queued)} />
        <Card label={t('overview.rate')} value={number(o.delivery.sentPerMinute)} />
        <Card label={t('overview.failed')} value={number(o.delivery.failed)} />
        <Card label={t('overview.unreachable')} value={number(o.delivery.unreachableTravellers)} />
        <Card
          label={t('overview.balance')}
          value={o.balance ? `${money(o.balance)} · ${date(o.balance.checkedAt)}` : t('overview.balance_unknown')}
          warn={o.balance?.below ?? false}
        />
        <StarsCard ctx={ctx} reading={stars} />
        <Card
          label={`${t('overview.conversion')} (${t('period.7d')})`}
          value={week.reminderConversion === null ? '—' : percent(week.reminderConversion)}
        />
      </div>
      <div id="charts" data-charts={JSON.stringify(chartData)}>
        <h2>{t('overview.daily')}</h2>
        <div class="chart">
          <canvas id="daily-chart" aria-label={t('overview.daily')}></canvas>
        </div>
        <h2>
          {t('overview.orders_by_state')} ({t('period.30d')})
        </h2>
        <div class="chart">
          <canvas id="states-chart" aria-label={t('overview.orders_by_state')}></canvas>
        </div>
      </div>
    </>
  );
}
