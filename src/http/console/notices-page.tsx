import { CARRIERS } from '../../domain/msisdn.js';
import type { NoticeStatus, NoticeView } from '../../services/notices/notices.js';
import { Fragment, h } from './jsx.js';
import { PostForm, type PageContext } from './layout.js';

export type NoticeForm = {
  titles: Record<string, string>;
  bodies: Record<string, string>;
  audienceType: string;
  carrier: string;
  codes: string;
};

export function composeView(
  ctx: PageContext,
  languages: Record<string, string>,
  draft: NoticeForm,
  recent: Array<NoticeView & { recipients: number }>,
  count: number,
  problems: string[],
) {
  const { t, date } = ctx.locale;
  return (
    <>
      {problems.length ? (
        <>
          <p class="warn">{t('notices.problems')}</p>
          <ul>
            {problems.map((p) => (
              <li>{p}</li>
            ))}
          </ul>
        </>
      ) : null}
      <PostForm action="/console/notices/preview" csrf={ctx.csrf}>
        {Object.entries(languages).map(([code, name]) => (
          <fieldset>
            <legend>{name}</legend>
            <label>
              {t('notices.title_in', { language: name })}
              <br />
              <input name={`title_${code}`} value={draft.titles[code] ?? ''} />
            </label>
            <br />
            <label>
              {t('notices.body_in', { language: name })}
              <br />
              <textarea name={`body_${code}`}>{draft.bodies[code] ?? ''}</textarea>
            </label>
          </fieldset>
        ))}
        <fieldset data-audience>
          <legend>{t('notices.audience')}</legend>
          <label>
            <input type="radio" name="audience" value="all" checked={draft.audienceType === 'all'} /> {t('notices.all')}
          </label>
          <br />
          <label>
            <input type="radio" name="audience" value="carrier" checked={draft.audienceType === 'carrier'} />{' '}
            {t('notices.carrier')}
          </label>{' '}
          <select name="carrier">
            {CARRIERS.map((c) => (
              <option selected={c === draft.carrier}>{c}</option>
            ))}
          </select>
          <br />
          <label>
            <input type="radio" name="audience" value="plans" checked={draft.audienceType === 'plans'} />{' '}
            {t('notices.plans')}
          </label>{' '}
          <input name="codes" value={draft.codes} />
          <p>
            <output id="audience-count" data-templates={audienceTemplates(ctx)}>
              {t('notices.audience_count', { count })}
            </output>
          </p>
        </fieldset>
        <p>
          <button type="submit">{t('notices.preview')}</button>
        </p>
      </PostForm>
      <h2>{t('notices.recent')}</h2>
      <table class="cards-on-phone">
        <tbody>
          {recent.map((n) => (
            <tr>
              <td>
                <a href={`/console/notices/${n.id}`}>{n.titles.en ?? Object.values(n.titles)[0]}</a>
              </td>
              <td>{date(n.publishedAt)}</td>
              <td data-label={t('notices.recipients')}>{n.recipients}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The preview: what each language will read, how many will get it, and the Publish form (its id makes a second submit publish nothing more). */
export function previewView(
  ctx: PageContext,
  languages: Record<string, string>,
  draft: NoticeForm,
  count: number,
  noticeId: string,
) {
  const { t } = ctx.locale;
  return (
    <>
      {Object.entries(languages)
        .filter(([code]) => draft.titles[code])
        .map(([code, name]) => (
          <div class="card">
            <span class="muted">{name}</span>
            <h3>{draft.titles[code]}</h3>
            <p class="pre">{draft.bodies[code]}</p>
          </div>
        ))}
      <p>
        <strong>{t('notices.audience_count', { count })}</strong>
      </p>
      <PostForm action="/console/notices/publish" csrf={ctx.csrf}>
        {Object.keys(languages).map((code) => (
          <>
            <input type="hidden" name={`title_${code}`} value={draft.titles[code] ?? ''} />
            <input type="hidden" name={`body_${code}`} value={draft.bodies[code] ?? ''} />
          </>
        ))}
        <input type="hidden" name="audience" value={draft.audienceType} />
        <input type="hidden" name="carrier" value={draft.carrier} />
        <input type="hidden" name="codes" value={draft.codes} />
        <input type="hidden" name="noticeId" value={noticeId} />
        <button type="submit">{t('notices.publish')}</button> <a href="/console/notices">{t('orders.cancel')}</a>
      </PostForm>
    </>
  );
}

export function noticeStatusView(ctx: PageContext, notice: NoticeView, status: NoticeStatus) {
  const { t, date, number } = ctx.locale;
  const cell = (key: string, value: number) => (
    <div class="card">
      <span class="muted">{t(`notices.${key}`)}</span>
      <b data-count={key}>{number(value)}</b>
    </div>
  );
  return (
    <>
      <p>{t('notices.published', { date: date(notice.publishedAt) })}</p>
      <h2>{t('notices.delivery')}</h2>
      <div class="cards" data-status-url={`/console/notices/${notice.id}/status.json`}>
        {cell('recipients', status.recipients)}
        {cell('queued', status.pending)}
        {cell('sent', status.sent)}
        {cell('failed', status.failed)}
        {cell('unreachable', status.unreachable)}
      </div>
      <h2>{notice.titles.en ?? ''}</h2>
      <p class="pre">{notice.bodies.en ?? ''}</p>
    </>
  );
}

/** The count's sentence for each plural form of the console's language, for the page's script to fill in. */
function audienceTemplates({ locale }: PageContext): string {
  const categories = new Intl.PluralRules(locale.language).resolvedOptions().pluralCategories;
  // A string count skips i18next's plural lookup, so each form is asked for by its own key.
  return JSON.stringify(
    Object.fromEntries(categories.map((c) => [c, locale.t(`notices.audience_count_${c}`, { count: '{n}' })])),
  );
}
