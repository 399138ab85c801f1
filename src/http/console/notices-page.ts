import { CARRIERS } from '../../domain/msisdn.js';
import type { NoticeStatus, NoticeView } from '../../services/notices.js';
import { form, html, type Html } from './html.js';
import type { PageContext } from './layout.js';

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
): Html {
  const { t, date } = ctx.locale;
  const fields = (readonly: boolean) =>
    html`${Object.entries(languages).map(
      ([code, name]) =>
        html`<fieldset>
          <legend>${name}</legend>
          <label
            >${t('notices.title_in', { language: name })}<br /><input
              name="title_${code}"
              value="${draft.titles[code] ?? ''}"
              size="60"
              ${readonly ? html`readonly` : ''} /></label
          ><br />
          <label
            >${t('notices.body_in', { language: name })}<br /><textarea
              name="body_${code}"
              ${readonly ? html`readonly` : ''}
            >
${draft.bodies[code] ?? ''}</textarea>
          </label>
        </fieldset>`,
    )}`;
  return html`${
      problems.length
        ? html`<p class="warn">${t('notices.problems')}</p>
            <ul>
              ${problems.map((p) => html`<li>${p}</li>`)}
            </ul>`
        : ''
    }
    ${form(
      '/console/notices/preview',
      ctx.csrf,
      html`${fields(false)}
        <fieldset data-audience>
          <legend>${t('notices.audience')}</legend>
          <label
            ><input type="radio" name="audience" value="all" ${draft.audienceType === 'all' ? html`checked` : ''} />
            ${t('notices.all')}</label
          ><br />
          <label
            ><input
              type="radio"
              name="audience"
              value="carrier"
              ${draft.audienceType === 'carrier' ? html`checked` : ''}
            />
            ${t('notices.carrier')}</label
          >
          <select name="carrier">
            ${CARRIERS.map((c) => html`<option ${c === draft.carrier ? html`selected` : ''}>${c}</option>`)}</select
          ><br />
          <label
            ><input type="radio" name="audience" value="plans" ${draft.audienceType === 'plans' ? html`checked` : ''} />
            ${t('notices.plans')}</label
          >
          <input name="codes" value="${draft.codes}" size="40" />
          <p>
            <output id="audience-count" data-template="${t('notices.audience_count', { count: '{n}' })}"
              >${t('notices.audience_count', { count })}</output
            >
          </p>
        </fieldset>
        <p><button type="submit">${t('notices.preview')}</button></p>`,
    )}
    <h2>${t('notices.recent')}</h2>
    <table>
      ${recent.map(
        (n) =>
          html`<tr>
            <td><a href="/console/notices/${n.id}">${n.titles.en ?? Object.values(n.titles)[0]}</a></td>
            <td>${date(n.publishedAt)}</td>
            <td>${n.recipients}</td>
          </tr>`,
      )}
    </table>`;
}

/** The preview: what each language will read, how many will get it, and the Publish form (its id makes a second submit publish nothing more). */
export function previewView(
  ctx: PageContext,
  languages: Record<string, string>,
  draft: NoticeForm,
  count: number,
  noticeId: string,
): Html {
  const { t } = ctx.locale;
  const hidden = html`${Object.keys(languages).map((code) => html`<input type="hidden" name="title_${code}" value="${draft.titles[code] ?? ''}" /><input type="hidden" name="body_${code}" value="${draft.bodies[code] ?? ''}" />`)}
    <input type="hidden" name="audience" value="${draft.audienceType}" /><input
      type="hidden"
      name="carrier"
      value="${draft.carrier}"
    /><input type="hidden" name="codes" value="${draft.codes}" /><input
      type="hidden"
      name="noticeId"
      value="${noticeId}"
    />`;
  return html`${Object.entries(languages)
      .filter(([code]) => draft.titles[code])
      .map(
        ([code, name]) =>
          html`<div class="card">
            <span class="muted">${name}</span>
            <h3>${draft.titles[code]}</h3>
            <p style="white-space:pre-wrap">${draft.bodies[code]}</p>
          </div>`,
      )}
    <p><strong>${t('notices.audience_count', { count })}</strong></p>
    ${form('/console/notices/publish', ctx.csrf, html`${hidden}<button type="submit">${t('notices.publish')}</button> <a href="/console/notices">${t('orders.cancel')}</a>`)}`;
}

export function noticeStatusView(ctx: PageContext, notice: NoticeView, status: NoticeStatus): Html {
  const { t, date, number } = ctx.locale;
  const cell = (key: string, value: number) =>
    html`<div class="card">
      <span class="muted">${t(`notices.${key}`)}</span><b data-count="${key}">${number(value)}</b>
    </div>`;
  return html`<p>${t('notices.published', { date: date(notice.publishedAt) })}</p>
    <h2>${t('notices.delivery')}</h2>
    <div class="cards" data-status-url="/console/notices/${notice.id}/status.json">
      ${cell('recipients', status.recipients)}${cell('queued', status.pending)}${cell('sent', status.sent)}${cell('failed', status.failed)}${cell('unreachable', status.unreachable)}
    </div>
    <h2>${notice.titles.en ?? ''}</h2>
    <p style="white-space:pre-wrap">${notice.bodies.en ?? ''}</p>`;
}
