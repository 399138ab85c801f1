import { languageNameIn } from '../../domain/language-names.js';
import { CARRIERS } from '../../domain/msisdn.js';
import type { Audience, NoticeStatus, NoticeView } from '../../services/notices/notices.js';
import { Fragment, h } from './jsx.js';
import { PostForm, type PageContext } from './layout.js';

export type NoticeForm = {
  titles: Record<string, string>;
  bodies: Record<string, string>;
  audienceType: string;
  carrier: string;
  codes: string;
  /** Publish at once, or at `scheduledFor` (a local time in the operator's timezone). */
  when: 'now' | 'later';
  scheduledFor: string;
};

/** Why a notice cannot be published yet, with what the sentence names. */
export type NoticeProblem =
  | { key: 'default_language' | 'half_written'; language: string }
  | { key: 'unknown_plans'; codes: string }
  | { key: 'no_plans' | 'no_time' | 'time_out_of_range' | 'incomplete' };

/** What a cancel came to, shown once on the notice's page. */
export const NOTICE_RESULTS = ['cancelled', 'not_cancelled'] as const;

/** "Everyone", "One carrier: axis", "Plans: A, B": who a notice is for. */
export function audienceText(ctx: PageContext, audience: Audience): string {
  const { t, field } = ctx.locale;
  if (audience.type === 'carrier') return field(t('notices.carrier'), audience.carrier);
  if (audience.type === 'plans') return field(t('notices.plans_short'), audience.codes.join(', '));
  return t('notices.all');
}

export function composeView(
  ctx: PageContext,
  languages: Record<string, string>,
  draft: NoticeForm,
  recent: Array<NoticeView & { recipients: number }>,
  scheduled: NoticeView[],
  count: number,
  problems: NoticeProblem[],
) {
  const { t, date } = ctx.locale;
  return (
    <>
      {problems.length ? (
        <div role="alert" data-problems>
          <p class="warn">{t('notices.problems')}</p>
          <ul>
            {problems.map((p) => (
              <li data-problem={p.key}>
                {t(`notices.problem.${p.key}`, {
                  ...p,
                  ...('language' in p ? { language: languageNameIn(p.language, ctx.locale.language) } : {}),
                })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <PostForm action="/console/notices/preview" csrf={ctx.csrf}>
        {Object.entries(languages).map(([code, name]) => (
          <fieldset>
            <legend>{name}</legend>
            <label>
              {t('notices.title_in', { language: languageNameIn(code, ctx.locale.language) })}
              <br />
              <input name={`title_${code}`} value={draft.titles[code] ?? ''} />
            </label>
            <br />
            <label>
              {t('notices.body_in', { language: languageNameIn(code, ctx.locale.language) })}
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
            <br />
            <span
              class="warn"
              id="unknown-plans"
              data-template={t('notices.problem.unknown_plans', { codes: '{codes}' })}
            />
          </p>
        </fieldset>
        <fieldset data-when>
          <legend>{t('notices.when')}</legend>
          <label>
            <input type="radio" name="when" value="now" checked={draft.when === 'now'} /> {t('notices.now')}
          </label>
          <br />
          <label>
            <input type="radio" name="when" value="later" checked={draft.when === 'later'} /> {t('notices.later')}
          </label>{' '}
          <input
            type="datetime-local"
            name="scheduledFor"
            value={draft.scheduledFor}
            aria-label={t('notices.at', { timezone: ctx.locale.timezone })}
          />{' '}
          <span class="muted">{ctx.locale.timezone}</span>
        </fieldset>
        <p>
          <button type="submit">{t('notices.preview')}</button>
        </p>
      </PostForm>
      {scheduled.length ? (
        <>
          <h2>{t('notices.scheduled')}</h2>
          <table class="cards-on-phone" data-scheduled>
            <tbody>
              {scheduled.map((n) => (
                <tr>
                  <td>
                    <a href={`/console/notices/${n.id}`}>{n.titles.en ?? Object.values(n.titles)[0]}</a>
                  </td>
                  <td data-label={t('notices.due')}>{date(n.publishedAt)}</td>
                  <td data-label={t('notices.audience')}>{audienceText(ctx, n.audience)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
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
  audience: Audience,
  count: number,
  at: Date | null,
  noticeId: string,
) {
  const { t, date } = ctx.locale;
  return (
    <>
      <Texts languages={languages} titles={draft.titles} bodies={draft.bodies} />
      <p data-audience-summary>
        {audienceText(ctx, audience)} · <strong>{t('notices.audience_count', { count })}</strong>
      </p>
      {at ? <p data-due>{t('notices.will_publish', { date: date(at) })}</p> : null}
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
        <input type="hidden" name="when" value={draft.when} />
        <input type="hidden" name="scheduledFor" value={draft.scheduledFor} />
        <input type="hidden" name="noticeId" value={noticeId} />
        <button type="submit">{at ? t('notices.schedule') : t('notices.publish')}</button>{' '}
        <a href="/console/notices">{t('orders.cancel')}</a>
      </PostForm>
    </>
  );
}

/** Each language's title and text, as the travellers reading it will see them. */
function Texts(props: {
  languages: Record<string, string>;
  titles: Record<string, string>;
  bodies: Record<string, string>;
}) {
  return (
    <>
      {Object.entries(props.languages)
        .filter(([code]) => props.titles[code])
        .map(([code, name]) => (
          <div class="card" lang={code} data-text={code}>
            <span class="muted">{name}</span>
            <h3>{props.titles[code]}</h3>
            <p class="pre">{props.bodies[code]}</p>
          </div>
        ))}
    </>
  );
}

/**
 * A notice's page: a scheduled one with its time and a Cancel button; a published one with its delivery counts,
 * which the page's script follows until every message is settled (`data-live` says whether it still polls).
 */
export function noticeStatusView(
  ctx: PageContext,
  languages: Record<string, string>,
  notice: NoticeView,
  status: NoticeStatus,
  result: (typeof NOTICE_RESULTS)[number] | null,
) {
  const { t, date, number } = ctx.locale;
  const cell = (key: string, value: number) => (
    <div class="card">
      <span class="muted">{t(`notices.${key}`)}</span>
      <b data-count={key}>{number(value)}</b>
    </div>
  );
  const settled = status.pending === 0 && status.sent + status.failed + status.unreachable >= status.recipients;
  return (
    <>
      {result ? (
        <p class="notice" role="status">
          {t(`notices.result.${result}`)}
        </p>
      ) : null}
      <p data-state={notice.state}>
        {notice.state === 'scheduled'
          ? t('notices.will_publish', { date: date(notice.publishedAt) })
          : notice.state === 'cancelled'
            ? t('notices.cancelled')
            : notice.state === 'publishing'
              ? t('notices.publishing')
              : t('notices.published', { date: date(notice.publishedAt) })}
      </p>
      <p>{ctx.locale.field(t('notices.audience'), audienceText(ctx, notice.audience))}</p>
      {notice.state === 'scheduled' ? (
        <PostForm action={`/console/notices/${notice.id}/cancel`} csrf={ctx.csrf}>
          <button type="submit" class="danger">
            {t('notices.cancel')}
          </button>
        </PostForm>
      ) : null}
      {notice.state === 'published' || notice.state === 'publishing' ? (
        <>
          <h2>{t('notices.delivery')}</h2>
          <div
            class="cards"
            data-status-url={`/console/notices/${notice.id}/status.json`}
            data-live={settled && notice.state === 'published' ? 'done' : 'polling'}
          >
            {cell('recipients', status.recipients)}
            {cell('queued', status.pending)}
            {cell('sent', status.sent)}
            {cell('failed', status.failed)}
            {cell('unreachable', status.unreachable)}
          </div>
        </>
      ) : null}
      <h2>{t('notices.texts')}</h2>
      <Texts languages={languages} titles={notice.titles} bodies={notice.bodies} />
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
