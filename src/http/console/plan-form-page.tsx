import { parseAmount } from '../../domain/amount-input.js';
import { margin } from '../../domain/console.js';
import { CARRIERS } from '../../domain/msisdn.js';
import { PLAN_KINDS } from '../../domain/plan.js';
import { PRICE_ROWS, PROVIDERS, type PlanForm } from '../../services/console/plan-form.js';
import { FieldLabel } from './field-label.js';
import { Choice, Field, ProblemsSummary, ProblemText, invalid, type Problems } from './form-fields.js';
import { Fragment, h } from './jsx.js';
import { PostForm, type PageContext } from './layout.js';

export const PLAN_RESULTS = ['saved', 'added', 'unchanged'] as const;
export type PlanResult = (typeof PLAN_RESULTS)[number];

/** The margin of what the form holds, when its price and cost read as amounts. */
function FormMargin(props: { ctx: PageContext; form: PlanForm }) {
  const { t, money, percent } = props.ctx.locale;
  const currency = props.form.price.currency.trim().toUpperCase();
  const price = parseAmount(props.form.price.amount, currency);
  const cost = props.form.cost.trim() ? parseAmount(props.form.cost, currency) : null;
  const m = price && cost ? margin({ amountMinor: price, currency }, { amountMinor: cost, currency }) : null;
  return (
    <p data-margin>
      <FieldLabel ctx={props.ctx} label={t('catalog.margin')}>
        {m ? (
          <b class={m.belowCost ? 'warn' : undefined}>
            {money({ amountMinor: m.amountMinor, currency })} ({percent(m.percent / 100)})
          </b>
        ) : (
          <span class="muted">{t('catalog.form.margin_unknown')}</span>
        )}
      </FieldLabel>
    </p>
  );
}

function MoneyFields(props: {
  ctx: PageContext;
  problems: Problems;
  name: string;
  label: string;
  value: { amount: string; currency: string };
}) {
  const { t, field } = props.ctx.locale;
  const [amount, currency] = [`${props.name}.amount`, `${props.name}.currency`];
  return (
    <fieldset class="money" data-money={props.name}>
      <legend>{props.label}</legend>
      <span class="pair">
        <input
          name={amount}
          value={props.value.amount}
          inputmode="decimal"
          aria-label={field(props.label, t('catalog.form.amount'))}
          {...invalid(props.problems, amount)}
        />
        <input
          name={currency}
          value={props.value.currency}
          maxlength="3"
          autocapitalize="characters"
          placeholder="USD"
          aria-label={field(props.label, t('catalog.form.currency'))}
          {...invalid(props.problems, currency)}
        />
      </span>
      <ProblemText ctx={props.ctx} problems={props.problems} name={amount} />
      <ProblemText ctx={props.ctx} problems={props.problems} name={currency} />
    </fieldset>
  );
}

/**
 * A plan's form: what it is, its names in every language, its prices, cost and provider. A refused form
 * comes back as typed, each problem beside its field.
 */
export function planFormView(
  ctx: PageContext,
  opts: {
    languages: Record<string, string>;
    form: PlanForm;
    problems: Problems;
    adding: boolean;
    result: PlanResult | null;
  },
) {
  const { t } = ctx.locale;
  const { form, problems } = opts;
  const rows = [
    ...form.prices,
    ...Array<{ amount: string; currency: string }>(PRICE_ROWS).fill({ amount: '', currency: '' }),
  ].slice(0, Math.max(PRICE_ROWS, form.prices.length));
  const action = opts.adding ? '/console/catalog/add' : `/console/catalog/plans/${form.code}`;
  return (
    <>
      {opts.result ? (
        <p class="notice" role="status">
          {t(`catalog.form.result.${opts.result}`)}
        </p>
      ) : null}
      <ProblemsSummary ctx={ctx} problems={problems} />
      {problems.form ? <p class="warn">{t('form.problem.invalid')}</p> : null}
      <PostForm action={action} csrf={ctx.csrf} class="edit">
        <fieldset>
          <legend>{t('catalog.form.plan')}</legend>
          <div class="fields">
            {opts.adding ? (
              <Field
                ctx={ctx}
                problems={problems}
                name="code"
                label={t('catalog.code')}
                value={form.code}
                hint={t('catalog.form.code_hint')}
                required
              />
            ) : null}
            <Choice
              name="carrier"
              label={t('catalog.form.carrier')}
              value={form.carrier}
              options={CARRIERS.map((c) => [c, c])}
            />
            <Choice
              name="kind"
              label={t('catalog.form.kind')}
              value={form.kind}
              options={PLAN_KINDS.map((k) => [k, t(`catalog.form.kinds.${k}`)])}
            />
            <Field
              ctx={ctx}
              problems={problems}
              name="dataMb"
              label={t('catalog.form.data_mb')}
              value={form.dataMb}
              inputmode="numeric"
              hint={t('catalog.form.data_hint')}
            />
            <Field
              ctx={ctx}
              problems={problems}
              name="validityDays"
              label={t('catalog.form.validity_days')}
              value={form.validityDays}
              inputmode="numeric"
              required
            />
            <Field
              ctx={ctx}
              problems={problems}
              name="graceDays"
              label={t('catalog.form.grace_days')}
              value={form.graceDays}
              inputmode="numeric"
              hint={t('catalog.form.optional')}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('catalog.form.names')}</legend>
          <div class="fields">
            {Object.entries(opts.languages).map(([lang, label]) => (
              <Field
                ctx={ctx}
                problems={problems}
                name={`names.${lang}`}
                label={label}
                value={form.names[lang] ?? ''}
                required={lang === 'en'}
              />
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('catalog.form.prices')}</legend>
          <p class="muted">{t('catalog.form.prices_hint')}</p>
          <div class="fields">
            <MoneyFields ctx={ctx} problems={problems} name="price" label={t('catalog.price')} value={form.price} />
            <MoneyFields
              ctx={ctx}
              problems={problems}
              name="altPrice"
              label={t('catalog.form.alt_price')}
              value={form.altPrice}
            />
            {rows.map((row, i) => (
              <MoneyFields
                ctx={ctx}
                problems={problems}
                name={`prices.${i}`}
                label={t('catalog.form.other_price', { n: i + 1 })}
                value={row}
              />
            ))}
            <Field
              ctx={ctx}
              problems={problems}
              name="starsPrice"
              label={t('catalog.form.stars_price')}
              value={form.starsPrice}
              inputmode="numeric"
              hint={t('catalog.form.stars_hint')}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('catalog.form.supply')}</legend>
          <div class="fields">
            <Field
              ctx={ctx}
              problems={problems}
              name="cost"
              label={t('catalog.cost')}
              value={form.cost}
              inputmode="decimal"
              hint={t('catalog.form.cost_hint')}
            />
            <Choice
              name="provider"
              label={t('catalog.form.provider')}
              value={form.provider}
              options={[['', t('catalog.form.provider_default')], ...PROVIDERS.map((p): [string, string] => [p, p])]}
            />
            <Field
              ctx={ctx}
              problems={problems}
              name="providerSku"
              label={t('catalog.form.provider_sku')}
              value={form.providerSku}
              required
            />
          </div>
          <FormMargin ctx={ctx} form={form} />
        </fieldset>
        <p>
          <label class="check">
            <input type="checkbox" name="active" value="on" checked={form.active} /> {t('catalog.on_sale')}
          </label>
        </p>
        <p>
          <button type="submit">{opts.adding ? t('catalog.form.add') : t('catalog.form.save')}</button>{' '}
          <a href="/console/catalog">{t('catalog.form.back')}</a>
        </p>
      </PostForm>
    </>
  );
}
