import type { CatalogPreview, PlanChange, PlanRow } from '../../services/console/catalog.js';
import { form, html, type Html } from './html.js';
import type { PageContext } from './layout.js';

export function catalogView(
  ctx: PageContext,
  plans: PlanRow[],
  priceListAvailable: boolean,
  flash: string | null,
): Html {
  const { t, money, percent } = ctx.locale;
  return html`${flash ? html`<p class="notice" role="status">${flash}</p>` : ''}${priceListAvailable ? '' : html`<p class="muted">${t('catalog.no_price_list')}</p>`}
    <table>
      <tr>
        <th>${t('catalog.code')}</th>
        <th>${t('catalog.name')}</th>
        <th>${t('catalog.price')}</th>
        <th>${t('catalog.cost')}</th>
        <th>${t('catalog.margin')}</th>
        <th>${t('catalog.active')}</th>
      </tr>
      ${plans.map(
        (p) =>
          html`<tr data-plan="${p.code}">
            <td>${p.code}</td>
            <td>${p.name}</td>
            <td>${money(p.price)}</td>
            <td>
              ${p.cost ? money(p.cost) : '—'}${p.providerAvailable === false ? html` <span class="warn">${t('catalog.provider_off')}</span>` : ''}${p.costChangedFrom ? html` <span class="warn" data-cost-changed>${t('catalog.cost_changed', { from: money(p.costChangedFrom) })}</span>` : ''}
            </td>
            <td>
              ${p.margin ? html`${money({ amountMinor: p.margin.amountMinor, currency: p.price.currency })} (${percent(p.margin.percent / 100)})${p.margin.belowCost ? html` <span class="warn">${t('catalog.below_cost')}</span>` : ''}` : '—'}
            </td>
            <td>
              ${p.active ? '✓' : '—'}${p.held ? html` <span class="warn" data-held>${t('catalog.held')}</span>` : ''}${p.gone ? html` <span class="muted" data-gone>${t('catalog.gone')}</span>` : ''}
              ${form(`/console/catalog/${p.code}/switch`, ctx.csrf, html`<input type="hidden" name="active" value="${p.active ? 'false' : 'true'}" /><button type="submit">${p.active ? t('catalog.switch_off') : t('catalog.switch_on')}</button>`, 'class="inline"')}
            </td>
          </tr>`,
      )}
    </table>
    <h2>${t('catalog.import')}</h2>
    <p class="muted">${t('catalog.import_hint')}</p>
    ${form(
      '/console/catalog/preview',
      ctx.csrf,
      html`<input type="file" accept=".json,application/json" data-fills="catalog-json" /><textarea
          id="catalog-json"
          name="catalog"
          required
        ></textarea>
        <p><button type="submit">${t('catalog.preview')}</button></p>`,
    )}`;
}

// "code (fields): column before → after, …", so a cut from 150 Stars to 1 reads as one.
const changeLine = (c: PlanChange) => {
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const values = Object.keys(c.after).map(
    (k) => `${k} ${show(c.before[k as keyof PlanChange['before']])} → ${show(c.after[k as keyof PlanChange['after']])}`,
  );
  return `${c.code} (${c.fields.join(', ')}): ${values.join(', ')}`;
};

export function catalogPreviewView(ctx: PageContext, preview: CatalogPreview, json: string): Html {
  const { t } = ctx.locale;
  if (!preview.ok)
    return html`<p class="warn">${t('catalog.problems')}</p>
      <ul class="problems">
        ${preview.problems.map((p) => html`<li>${p}</li>`)}
      </ul>
      <p><a href="/console/catalog">${t('orders.cancel')}</a></p>`;
  const list = (codes: string[]) => (codes.length ? codes.join(', ') : t('catalog.nothing'));
  return html`<table>
      <tr>
        <th>${t('catalog.added')}</th>
        <td>${list(preview.added)}</td>
      </tr>
      <tr>
        <th>${t('catalog.changed')}</th>
        <td>${preview.changed.length ? preview.changed.map(changeLine).join('; ') : t('catalog.nothing')}</td>
      </tr>
      <tr>
        <th>${t('catalog.switched_off')}</th>
        <td>${list(preview.switchedOff)}</td>
      </tr>
    </table>
    <p>${t('catalog.unchanged', { count: preview.unchanged })}</p>
    ${form('/console/catalog/apply', ctx.csrf, html`<input type="hidden" name="catalog" value="${json}" /><button type="submit">${t('catalog.apply')}</button> <a href="/console/catalog">${t('orders.cancel')}</a>`)}`;
}
