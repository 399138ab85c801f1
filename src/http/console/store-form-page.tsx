import { CARRIERS } from '../../domain/msisdn.js';
import { WEEKDAYS } from '../../domain/stores.js';
import { formPlaceLink, STORE_SELLS, type StoreForm } from '../../services/console/store-form.js';
import { Field, ProblemsSummary, ProblemText, invalid, type Problems } from './form-fields.js';
import { Fragment, h } from './jsx.js';
import { carrierName } from './labels.js';
import { PostForm, type PageContext } from './layout.js';
import { TIME_ZONES } from './settings-page.js';

export const STORE_RESULTS = ['saved', 'added', 'unchanged', 'switched_off', 'switched_on'] as const;
export type StoreResult = (typeof STORE_RESULTS)[number];

function Checks(props: {
  ctx: PageContext;
  problems: Problems;
  name: 'carriers' | 'sells';
  legend: string;
  options: Array<[value: string, label: string]>;
  checked: string[];
}) {
  return (
    <fieldset data-checks={props.name} {...invalid(props.problems, props.name)}>
      <legend>{props.legend}</legend>
      {props.options.map(([value, label]) => (
        <label class="check">
          <input type="checkbox" name={props.name} value={value} checked={props.checked.includes(value)} /> {label}
        </label>
      ))}
      <ProblemText ctx={props.ctx} problems={props.problems} name={props.name} />
    </fieldset>
  );
}

/**
 * A partner store's form: where it is (a pasted map link or coordinates, checked on a map), its hours
 * each weekday in its own timezone, and what it sells. A refused form comes back as typed.
 */
export function storeFormView(
  ctx: PageContext,
  opts: { form: StoreForm; problems: Problems; adding: boolean; result: StoreResult | null; geocoder: boolean },
) {
  const { t, field } = ctx.locale;
  const { form, problems } = opts;
  const pin = formPlaceLink(form);
  const action = opts.adding ? '/console/stores/add' : `/console/stores/${form.id}/edit`;
  return (
    <>
      {opts.result ? (
        <p class="notice" role="status">
          {t(`stores.form.result.${opts.result}`)}
        </p>
      ) : null}
      <ProblemsSummary ctx={ctx} problems={problems} />
      <PostForm action={action} csrf={ctx.csrf} class="edit">
        <fieldset>
          <legend>{t('stores.form.store')}</legend>
          <div class="fields">
            {opts.adding ? (
              <Field
                ctx={ctx}
                problems={problems}
                name="id"
                label={t('stores.form.id')}
                value={form.id}
                hint={t('stores.form.id_hint')}
                required
              />
            ) : null}
            <Field ctx={ctx} problems={problems} name="name" label={t('stores.name')} value={form.name} required />
            <Field ctx={ctx} problems={problems} name="city" label={t('stores.city')} value={form.city} required />
            <Field
              ctx={ctx}
              problems={problems}
              name="address"
              label={t('stores.form.address')}
              value={form.address}
              required
            />
            <Field
              ctx={ctx}
              problems={problems}
              name="phone"
              label={t('stores.form.phone')}
              value={form.phone}
              type="tel"
              hint={t('stores.form.optional')}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('stores.form.location')}</legend>
          <div class="fields">
            <Field
              ctx={ctx}
              problems={problems}
              name="location"
              label={t('stores.form.location')}
              value={form.location}
              hint={t('stores.form.location_hint')}
              placeholder="-6.1935, 106.8230"
              required
            />
            <label>
              <span>{t('stores.form.timezone')}</span>
              <select name="timezone" {...invalid(problems, 'timezone')}>
                {TIME_ZONES.map((z) => (
                  <option selected={z === form.timezone}>{z}</option>
                ))}
              </select>
              <ProblemText ctx={ctx} problems={problems} name="timezone" />
            </label>
          </div>
          {opts.geocoder ? (
            <p data-geocode>
              <button type="button" data-geocode-button>
                {t('stores.form.geocode.find_on_map')}
              </button>{' '}
              <output data-geocode-result aria-live="polite"></output>
            </p>
          ) : null}
          {pin ? (
            <p>
              <a href={pin} target="_blank" rel="noopener noreferrer" data-pin>
                {t('stores.form.check_map')}
              </a>
            </p>
          ) : null}
        </fieldset>
        <fieldset data-hours>
          <legend>{t('stores.form.hours')}</legend>
          <p class="muted">{t('stores.form.hours_hint')}</p>
          <div class="fields">
            {[...WEEKDAYS.slice(1), WEEKDAYS[0]].map((d) => (
              <fieldset data-day={d} {...invalid(problems, `hours.${d}`)}>
                <legend>{t(`stores.days.${d}`)}</legend>
                <span class="pair">
                  <input
                    type="time"
                    name={`hours.${d}.opens`}
                    value={form.hours[d].opens}
                    aria-label={field(t(`stores.days.${d}`), t('stores.form.opens'))}
                  />
                  <input
                    type="time"
                    name={`hours.${d}.closes`}
                    value={form.hours[d].closes}
                    aria-label={field(t(`stores.days.${d}`), t('stores.form.closes'))}
                  />
                </span>
                <label class="check">
                  <input type="checkbox" name={`hours.${d}.closed`} value="on" checked={form.hours[d].closed} />{' '}
                  {t('stores.form.closed_day')}
                </label>
                <ProblemText ctx={ctx} problems={problems} name={`hours.${d}`} />
              </fieldset>
            ))}
          </div>
        </fieldset>
        <div class="fields">
          <Checks
            ctx={ctx}
            problems={problems}
            name="carriers"
            legend={t('stores.form.carriers')}
            options={CARRIERS.map((c) => [c, carrierName(t, c)])}
            checked={form.carriers}
          />
          <Checks
            ctx={ctx}
            problems={problems}
            name="sells"
            legend={t('stores.form.sells')}
            options={STORE_SELLS.map((s) => [s, t(`stores.sells.${s}`)])}
            checked={form.sells}
          />
        </div>
        <p>
          <label class="check">
            <input type="checkbox" name="active" value="on" checked={form.active} /> {t('stores.form.on')}
          </label>
        </p>
        <p>
          <button type="submit">{opts.adding ? t('stores.form.add') : t('stores.form.save')}</button>{' '}
          <a href="/console/stores">{t('stores.form.back')}</a>
        </p>
      </PostForm>
    </>
  );
}
