import { Fragment, h } from './jsx.js';
import { PostForm, type PageContext } from './layout.js';

/** Every IANA zone Node knows, and UTC (which Intl lists apart). */
export const TIME_ZONES: readonly string[] = ['UTC', ...Intl.supportedValuesOf('timeZone')];

/** The operator's language and timezone for the console; `flash` says it was saved, or what was wrong. */
export function settingsView(
  ctx: PageContext,
  languages: Record<string, string>,
  flash: { ok: boolean; text: string } | null,
) {
  const { t, language, timezone, date, money } = ctx.locale;
  return (
    <>
      {flash ? (
        <p class={flash.ok ? 'notice' : 'warn'} role="status">
          {flash.text}
        </p>
      ) : null}
      <p>{t('prefs.explain')}</p>
      <PostForm action="/console/settings" csrf={ctx.csrf} class="search">
        <label>
          {t('prefs.language')}{' '}
          <select name="language">
            {Object.entries(languages).map(([code, name]) => (
              <option value={code} selected={code === language}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('prefs.timezone')}{' '}
          <select name="timezone">
            {TIME_ZONES.map((z) => (
              <option selected={z === timezone}>{z}</option>
            ))}
          </select>
        </label>
        <button type="submit">{t('prefs.save')}</button>
      </PostForm>
      <p class="muted" data-sample>
        {date(new Date())} · {money({ amountMinor: 35_000, currency: 'IDR' })}
      </p>
    </>
  );
}
