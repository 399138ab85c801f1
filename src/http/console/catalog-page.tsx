import { countryName, destinationFromKey, REGIONS } from '../../domain/destinations.js';
import type { CatalogPreview, PlanChange, PlanRow } from '../../services/console/catalog.js';
import { Fragment, h } from './jsx.js';
import { PostForm, type PageContext } from './layout.js';

// "code (fields): column before → after, …", so a cut from 150 Stars to 1 reads as one.
const changeLine = (c: PlanChange) => {
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const values = Object.keys(c.after).map(
    (k) => `${k} ${show(c.before[k as keyof PlanChange['before']])} → ${show(c.after[k as keyof PlanChange['after']])}`,
  );
  return `${c.code} (${c.fields.join(', ')}): ${values.join(', ')}`;
};

/** Plans in a table: code (to edit), name, prices, cost, margin, and the switch. */
function planTable(ctx: PageContext, plans: PlanRow[]) {
  const { t, money, percent } = ctx.locale;
  return (
    <table class="cards-on-phone">
      <thead>
        <tr>
          <th>{t('catalog.code')}</th>
          <th>{t('catalog.name')}</th>
          <th>{t('catalog.price')}</th>
          <th>{t('catalog.cost')}</th>
          <th>{t('catalog.margin')}</th>
          <th>{t('catalog.active')}</th>
        </tr>
      </thead>
      <tbody>
        {plans.map((p) => (
          <tr data-plan={p.code}>
            <td>
              <a href={`/console/catalog/plans/${encodeURIComponent(p.code)}`} title={t('catalog.edit')}>
                <b>{p.code}</b>
              </a>
            </td>
            <td data-label={t('catalog.name')}>{p.name}</td>
            <td data-label={t('catalog.price')}>
              {money(p.price)}
              {p.otherPrices.map((other) => (
                <>
                  <br />
                  <span class="muted" data-other-price={other.currency}>
                    {money(other)}
                  </span>
                </>
              ))}
            </td>
            <td data-label={t('catalog.cost')}>
              {p.cost ? money(p.cost) : '—'}
              {p.providerAvailable === false ? (
                <>
                  {' '}
                  <span class="warn">{t('catalog.provider_off')}</span>
                </>
              ) : null}
              {p.costChangedFrom ? (
                <>
                  {' '}
                  <span class="warn" data-cost-changed>
                    {t('catalog.cost_changed', { from: money(p.costChangedFrom) })}
                  </span>
                </>
              ) : null}
            </td>
            <td data-label={t('catalog.margin')}>
              {p.margin ? (
                <>
                  {money({ amountMinor: p.margin.amountMinor, currency: p.price.currency })} (
                  {percent(p.margin.percent / 100)})
                  {p.margin.belowCost ? (
                    <>
                      {' '}
                      <span class="warn">{t('catalog.below_cost')}</span>
                    </>
                  ) : null}
                </>
              ) : (
                '—'
              )}
            </td>
            <td data-label={t('catalog.active')}>
              {p.active ? '✓' : '—'}{' '}
              {p.held ? (
                <span class="warn" data-held>
                  {t('catalog.held')}
                </span>
              ) : null}
              {p.gone ? (
                <span class="muted" data-gone>
                  {t('catalog.gone')}
                </span>
              ) : null}{' '}
              <PostForm action={`/console/catalog/${p.code}/switch`} csrf={ctx.csrf} class="inline">
                <input type="hidden" name="active" value={p.active ? 'false' : 'true'} />
                <button type="submit">{p.active ? t('catalog.switch_off') : t('catalog.switch_on')}</button>
              </PostForm>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** eSIM packages grouped by destination: countries by name in the reader's language, then the regions. */
function byDestination(ctx: PageContext, plans: PlanRow[]) {
  const { t, language } = ctx.locale;
  const groups = new Map<string, PlanRow[]>();
  for (const p of plans) if (p.destination) groups.set(p.destination, [...(groups.get(p.destination) ?? []), p]);
  const named = [...groups].map(([key, rows]) => {
    const destination = destinationFromKey(key);
    const region = destination?.kind === 'region' ? destination : null;
    const name = region ? t(`catalog.region.${region.code}`) : `${countryName(key, language)} (${key})`;
    return { key, name, rows, order: region ? REGIONS.indexOf(region.code) : -1 };
  });
  named.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name, language));
  return named.map((g) => (
    <section data-destination={g.key}>
      <h3>{g.name}</h3>
      {planTable(ctx, g.rows)}
    </section>
  ));
}

export function catalogView(ctx: PageContext, plans: PlanRow[], priceListAvailable: boolean, flash: string | null) {
  const { t } = ctx.locale;
  const esims = plans.filter((p) => p.destination);
  const others = plans.filter((p) => !p.destination);
  return (
    <>
      {flash ? (
        <p class="notice" role="status">
          {flash}
        </p>
      ) : null}
      {priceListAvailable ? null : <p class="muted">{t('catalog.no_price_list')}</p>}
      <p class="actions">
        <a class="button" href="/console/catalog/add">
          {t('catalog.form.new_plan')}
        </a>{' '}
        <a href="/console/catalog/export.json" download="kuota-catalog.json">
          {t('catalog.export')}
        </a>
      </p>
      {others.length || !esims.length ? planTable(ctx, others) : null}
      {esims.length ? (
        <>
          <h2>{t('catalog.esim_destinations')}</h2>
          {byDestination(ctx, esims)}
        </>
      ) : null}
      <h2>{t('catalog.import')}</h2>
      <p class="muted">{t('catalog.import_hint')}</p>
      <PostForm action="/console/catalog/preview" csrf={ctx.csrf}>
        <input type="file" accept=".json,application/json" data-fills="catalog-json" aria-label={t('catalog.import')} />
        <textarea id="catalog-json" name="catalog" required aria-label={t('catalog.import')}></textarea>
        <p>
          <button type="submit">{t('catalog.preview')}</button>
        </p>
      </PostForm>
    </>
  );
}

export function catalogPreviewView(ctx: PageContext, preview: CatalogPreview, json: string) {
  const { t } = ctx.locale;
  if (!preview.ok)
    return (
      <>
        <p class="warn">{t('catalog.problems')}</p>
        <ul class="problems">
          {preview.problems.map((p) => (
            <li>{p}</li>
          ))}
        </ul>
        <p>
          <a href="/console/catalog">{t('orders.cancel')}</a>
        </p>
      </>
    );
  const list = (codes: string[]) => (codes.length ? codes.join(', ') : t('catalog.nothing'));
  return (
    <>
      <table>
        <tr>
          <th>{t('catalog.added')}</th>
          <td>{list(preview.added)}</td>
        </tr>
        <tr>
          <th>{t('catalog.changed')}</th>
          <td>{preview.changed.length ? preview.changed.map(changeLine).join('; ') : t('catalog.nothing')}</td>
        </tr>
        <tr>
          <th>{t('catalog.switched_off')}</th>
          <td>{list(preview.switchedOff)}</td>
        </tr>
      </table>
      <p>{t('catalog.unchanged', { count: preview.unchanged })}</p>
      <PostForm action="/console/catalog/apply" csrf={ctx.csrf}>
        <input type="hidden" name="catalog" value={json} />
        <button type="submit">{t('catalog.apply')}</button> <a href="/console/catalog">{t('orders.cancel')}</a>
      </PostForm>
    </>
  );
}
