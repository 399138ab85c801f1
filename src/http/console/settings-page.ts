import { form, html, type Html } from './html.js';
import type { PageContext } from './layout.js';

/** Every IANA zone Node knows, and UTC (which Intl lists apart). */
export const TIME_ZONES: readonly string[] = ['UTC', ...Intl.supportedValuesOf('timeZone')];

/** The operator's language and timezone for the console; `flash` says it was saved, or what was wrong. */
export function settingsView(
  ctx: PageContext,
  languages: Record<string, string>,
  flash: { ok: boolean; text: string } | null,
): Html {
  const { t, language, timezone, date, money } = ctx.locale;
  const sample = html`<p class="muted" data-sample>
    ${date(new Date())} · ${money({ amountMinor: 35_000, currency: 'IDR' })}
  </p>`;
  return html`${flash ? html`<p class="${flash.ok ? 'notice' : 'warn'}" role="status">${flash.text}</p>` : ''}
    <p>${t('prefs.explain')}</p>
    ${form(
      '/console/settings',
      ctx.csrf,
      html`<label
          >${t('prefs.language')}
          <select name="language">
            ${Object.entries(languages).map(([code, name]) => html`<option value="${code}" ${code === language ? html`selected` : ''}>${name}</option>`)}
          </select></label
        >
        <label
          >${t('prefs.timezone')}
          <select name="timezone">
            ${TIME_ZONES.map((z) => html`<option ${z === timezone ? html`selected` : ''}>${z}</option>`)}
          </select></label
        >
        <button type="submit">${t('prefs.save')}</button>`,
    )}${sample}`;
}
