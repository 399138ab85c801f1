import { currencyExponent } from '../../domain/money.js';
import { methodName } from '../../domain/payment-methods.js';
import { REPORT_DAYS, type Compared, type DayRange, type Report } from '../../domain/reports.js';
import { Fragment, h, type Markup } from './jsx.js';
import type { PageContext } from './layout.js';

const DAY = 86_400_000;

/** A local day number as a date whose UTC calendar day is that local day (for Intl with timeZone UTC). */
const asDate = (day: number) => new Date(day * DAY);

/** Money, net of refunds, per currency and method; margin; checkout conversion; travellers; each against the period before. */
export function reportsView(ctx: PageContext, r: Report): Markup {
  const { t, number, language, field } = ctx.locale;
  const amount = (currency: string, minor: number) =>
    currency === 'XTR'
      ? t('attention.stars', { n: number(minor) })
      : ctx.locale.money({ amountMinor: minor, currency });
  const method = (code: string) =>
    code === 'stars' ? t('orders.paid_with_stars') : code === 'card' ? t('orders.paid_with_card') : methodName(code);
  const range = (d: DayRange) =>
    new Intl.DateTimeFormat(language, { timeZone: 'UTC', month: 'short', day: 'numeric' }).formatRange(
      asDate(d.first),
      asDate(d.last),
    );
  const signed = new Intl.NumberFormat(language, {
    style: 'percent',
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  });
  /** The change as the owner reads it: +25%, or "new" when there was nothing before. */
  const Change = (props: { c: Compared<number | null>; points?: boolean }): Markup => {
    const { c } = props;
    if (c.change === null)
      return <span class="muted">{c.current ? t('reports.change_new') : t('reports.change_none')}</span>;
    const text = props.points
      ? t('reports.points', {
          n: new Intl.NumberFormat(language, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(
            c.change * 100,
          ),
        })
      : signed.format(c.change);
    return <span class={c.change > 0 ? 'change up' : c.change < 0 ? 'change down' : 'change'}>{text}</span>;
  };
  const rate = (v: number | null) => (v === null ? '—' : ctx.locale.percent(v));
  const head = (first: string) => (
    <thead>
      <tr>
        <th>{first}</th>
        <th>{t('reports.this_period')}</th>
        <th>{t('reports.previous_period')}</th>
        <th>{t('reports.change')}</th>
      </tr>
    </thead>
  );
  const Row = (props: {
    label: string;
    c: Compared<number | null>;
    show: (v: number | null) => string;
    points?: boolean;
    id?: string;
  }): Markup => (
    <tr data-figure={props.id}>
      <td>{props.label}</td>
      <td data-label={t('reports.this_period')} data-current>
        {props.show(props.c.current)}
      </td>
      <td data-label={t('reports.previous_period')} data-previous>
        {props.show(props.c.previous)}
      </td>
      <td data-label={t('reports.change')}>
        <Change c={props.c} points={props.points} />
      </td>
    </tr>
  );
  const dayLabel = (i: number) =>
    new Intl.DateTimeFormat(language, { timeZone: 'UTC', month: 'short', day: 'numeric' }).format(
      asDate(r.current.first + i),
    );
  const days = Array.from({ length: r.days }, (_, i) => i);

  return (
    <>
      <nav class="period-switch" aria-label={t('reports.period')}>
        {REPORT_DAYS.map((d) => (
          <a href={`/console/reports?days=${d}`} aria-current={d === r.days ? 'page' : undefined}>
            {t('reports.days', { count: d })}
          </a>
        ))}
      </nav>
      <p class="muted" data-periods>
        {t('reports.against', { current: range(r.current), previous: range(r.previous) })}
      </p>

      <h2>{t('reports.revenue')}</h2>
      <p class="muted">{t('reports.revenue_note')}</p>
      {r.currencies.length === 0 ? <p>{t('reports.no_money')}</p> : null}
      {r.currencies.map((c) => (
        <section data-currency={c.currency}>
          <h3>{c.currency === 'XTR' ? t('orders.paid_with_stars') : c.currency}</h3>
          <table class="cards-on-phone">
            {head(t('reports.figure'))}
            <tbody>
              <Row
                id="revenue"
                label={t('reports.net_revenue')}
                c={c.revenue}
                show={(v) => amount(c.currency, v ?? 0)}
              />
              {c.byMethod.map((m) => (
                <Row
                  id={`method-${m.method}`}
                  label={field(t('reports.by_method'), method(m.method))}
                  c={m.revenue}
                  show={(v) => amount(c.currency, v ?? 0)}
                />
              ))}
              <Row id="orders" label={t('reports.paid_orders')} c={c.orders} show={(v) => number(v ?? 0)} />
              <Row
                id="margin"
                label={t('reports.margin')}
                c={c.margin}
                show={(v) => (v === null ? '—' : amount(c.currency, v))}
              />
              {c.uncosted.current || c.uncosted.previous ? (
                <Row id="uncosted" label={t('reports.uncosted')} c={c.uncosted} show={(v) => number(v ?? 0)} />
              ) : null}
            </tbody>
          </table>
          <div
            class="report-chart"
            data-report-chart={JSON.stringify({
              labels: days.map(dayLabel),
              unit: c.currency === 'XTR' ? null : c.currency,
              series: c.daily.map((s) => ({
                label: method(s.method),
                values: s.values.map((v) => v / 10 ** currencyExponent(c.currency)),
              })),
            })}
          >
            <h4>{t('reports.daily', { currency: c.currency === 'XTR' ? t('orders.paid_with_stars') : c.currency })}</h4>
            <div class="chart">
              <canvas role="img" aria-label={t('reports.daily', { currency: c.currency })}></canvas>
            </div>
          </div>
          <details>
            <summary>{t('reports.daily_table')}</summary>
            <div class="scroll">
              <table data-daily>
                <thead>
                  <tr>
                    <th>{t('reports.day')}</th>
                    {c.daily.map((s) => (
                      <th>{method(s.method)}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {days.map((i) => (
                    <tr>
                      <td>{dayLabel(i)}</td>
                      {c.daily.map((s) => (
                        <td>{amount(c.currency, s.values[i] ?? 0)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </section>
      ))}

      <h2>{t('reports.checkout_and_travellers')}</h2>
      <table class="cards-on-phone">
        {head(t('reports.figure'))}
        <tbody>
          <Row id="conversion" label={t('reports.conversion')} c={r.conversion} show={rate} points />
          <Row id="links" label={t('reports.links')} c={r.conversion.links} show={(v) => number(v ?? 0)} />
          <Row id="paid-links" label={t('reports.links_paid')} c={r.conversion.paid} show={(v) => number(v ?? 0)} />
          <Row
            id="new-travellers"
            label={t('reports.new_travellers')}
            c={r.newTravellers}
            show={(v) => number(v ?? 0)}
          />
          <Row
            id="active-travellers"
            label={t('reports.active_travellers')}
            c={r.activeTravellers}
            show={(v) => number(v ?? 0)}
          />
        </tbody>
      </table>
      <p class="muted">{t('reports.travellers_note')}</p>
    </>
  );
}
