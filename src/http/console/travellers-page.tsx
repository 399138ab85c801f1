import { languageLabelIn, languageNameIn } from '../../domain/language-names.js';
import {
  OPERATOR_MESSAGE_MAX,
  TRAVELLER_FILTERS,
  type TravellerCounts,
  type TravellerFilter,
  type TravellerRow,
  type TravellerView,
} from '../../services/console/travellers.js';
import { Fragment, h } from './jsx.js';
import { phrase } from './labels.js';
import { allowed, PostForm, type PageContext } from './layout.js';

/** What an action on a traveller came to, shown once on the page it redirects to. */
export const TRAVELLER_RESULTS = [
  'paused',
  'not_active',
  'unlinked',
  'not_linked',
  'message_queued',
  'unreachable',
] as const;
export type TravellerResult = (typeof TRAVELLER_RESULTS)[number];

const languageName = (ctx: PageContext, code: string) => languageNameIn(code, ctx.locale.language);
const languageLabel = (ctx: PageContext, code: string) => languageLabelIn(code, ctx.locale.language);

/** "Ayu Lestari @ayu", or the Telegram id when Telegram gave no name. */
function who(u: { name: string | null; username: string | null; telegramId: number }) {
  return [u.name, u.username ? `@${u.username}` : null].filter(Boolean).join(' ') || String(u.telegramId);
}

export function travellersView(
  ctx: PageContext,
  query: { q: string; filter: TravellerFilter },
  counts: TravellerCounts,
  rows: TravellerRow[],
  next: string | null,
) {
  const { t, number, date } = ctx.locale;
  const href = (params: Record<string, string>) => {
    const kept = Object.fromEntries(Object.entries(params).filter(([k, v]) => v && !(k === 'filter' && v === 'all')));
    const search = new URLSearchParams(kept).toString();
    return `/console/travellers${search ? `?${search}` : ''}`;
  };
  const count: Record<TravellerFilter, number> = {
    all: counts.total,
    auto_renew: counts.autoRenew,
    unreachable: counts.unreachable,
  };
  return (
    <>
      <div class="cards" data-counts>
        <div class="card">
          <span class="muted">{t('travellers.count.total')}</span>
          <b data-count="total">{number(counts.total)}</b>
        </div>
        <div class="card">
          <span class="muted">{t('travellers.count.reachable')}</span>
          <b data-count="reachable">{number(counts.reachable)}</b>
        </div>
        <div class="card">
          <span class="muted">{t('travellers.count.auto_renew')}</span>
          <b data-count="auto_renew">{number(counts.autoRenew)}</b>
        </div>
      </div>
      <form method="get" action="/console/travellers" class="search">
        <input
          name="q"
          value={query.q}
          placeholder={t('travellers.search')}
          aria-label={t('travellers.search')}
          type="search"
        />
        {query.filter === 'all' ? null : <input type="hidden" name="filter" value={query.filter} />}
        <button type="submit">{t('orders.find')}</button>
      </form>
      <p class="filters" data-filters>
        {TRAVELLER_FILTERS.map((f) => (
          <>
            <a href={href({ q: query.q, filter: f })} aria-current={f === query.filter ? 'page' : undefined}>
              {t(`travellers.filter.${f}`)} ({number(count[f])})
            </a>{' '}
          </>
        ))}
      </p>
      {rows.length ? (
        <table class="cards-on-phone" data-travellers>
          <thead>
            <tr>
              <th>{t('travellers.who')}</th>
              <th>{t('orders.telegram')}</th>
              <th>{t('travellers.language')}</th>
              <th>{t('travellers.lines')}</th>
              <th>{t('travellers.auto_renew')}</th>
              <th>{t('travellers.reachable')}</th>
              <th>{t('travellers.since')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => (
              <tr data-traveller={u.telegramId}>
                <td>
                  <a href={`/console/travellers/${u.userId}`}>{who(u)}</a>
                </td>
                <td data-label={t('orders.telegram')}>{u.telegramId}</td>
                <td data-label={t('travellers.language')}>{languageLabel(ctx, u.language)}</td>
                <td data-label={t('travellers.lines')}>{number(u.lines)}</td>
                <td data-label={t('travellers.auto_renew')}>
                  {u.autoRenew ? t('travellers.on') : t('travellers.off')}
                </td>
                <td data-label={t('travellers.reachable')} class={u.reachable ? 'ok' : 'warn'}>
                  {u.reachable ? t('travellers.yes') : t('travellers.no')}
                </td>
                <td data-label={t('travellers.since')}>{date(u.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('travellers.none')}</p>
      )}
      {next ? (
        <p>
          <a href={href({ q: query.q, filter: query.filter, cursor: next })} data-next>
            {t('orders.next')}
          </a>
        </p>
      ) : null}
    </>
  );
}

/** `revealed`: a line's full identifier, shown once after an audited reveal. */
export function travellerView(
  ctx: PageContext,
  u: TravellerView,
  revealed: { lineId: string; identifier: string } | null,
  result: TravellerResult | null,
) {
  const { t, date, money, field } = ctx.locale;
  const acts = allowed(ctx, 'traveller_actions');
  return (
    <>
      {result ? (
        <p class="notice" role="status">
          {t(`travellers.result.${result}`)}
        </p>
      ) : null}
      <table>
        <tr>
          <th>{t('travellers.who')}</th>
          <td data-name>{who(u)}</td>
        </tr>
        <tr>
          <th>{t('orders.telegram')}</th>
          <td>{u.telegramId}</td>
        </tr>
        <tr>
          <th>{t('travellers.language')}</th>
          <td data-language>{languageLabel(ctx, u.language)}</td>
        </tr>
        <tr>
          <th>{t('travellers.timezone')}</th>
          <td>{u.timezone}</td>
        </tr>
        <tr>
          <th>{t('travellers.reachable')}</th>
          <td class={u.reachable ? 'ok' : 'warn'} data-reachable={String(u.reachable)}>
            {u.reachable ? t('travellers.yes') : t('travellers.no')}
          </td>
        </tr>
      </table>
      {acts && u.reachable ? (
        <p>
          <a href={`/console/travellers/${u.userId}/message`} class="button" data-action="message">
            {t('travellers.message.write')}
          </a>
        </p>
      ) : null}
      <h2>{t('travellers.lines')}</h2>
      <table class="cards-on-phone">
        <tbody>
          {u.lines.map((l) => (
            <tr data-line={l.lineId}>
              <td>
                {revealed?.lineId === l.lineId ? (
                  <>
                    <strong data-revealed>{revealed.identifier}</strong>
                    <br />
                    <span class="muted">{t('travellers.revealed')}</span>
                  </>
                ) : (
                  <>
                    {l.masked}{' '}
                    <PostForm action={`/console/lines/${l.lineId}/reveal`} csrf={ctx.csrf} class="inline">
                      <button type="submit">{t('travellers.reveal')}</button>
                    </PostForm>
                  </>
                )}
              </td>
              <td>
                {l.carrier}
                {l.label ? ` · ${l.label}` : ''}
                {l.unlinked ? ` · ${t('travellers.unlinked')}` : ''}
              </td>
              <td>{l.planCode ?? ''}</td>
              <td>{field(t('travellers.expires'), l.expiresAt ? date(l.expiresAt) : '—')}</td>
              <td data-auto-renew={l.autoRenew?.state ?? 'none'}>
                {field(
                  t('travellers.auto_renew'),
                  l.autoRenew
                    ? [
                        phrase(t, 'auto_renew_state', l.autoRenew.state),
                        l.autoRenew.planCode,
                        `≤ ${money({ amountMinor: l.autoRenew.capMinor, currency: l.autoRenew.currency })}`,
                        ...(l.autoRenew.card ? [l.autoRenew.card] : []),
                      ].join(' · ')
                    : t('travellers.off'),
                )}
              </td>
              {acts && !l.unlinked ? (
                <td data-line-actions>
                  {l.autoRenew?.state === 'active' ? (
                    <PostForm
                      action={`/console/travellers/${u.userId}/lines/${l.lineId}/pause`}
                      csrf={ctx.csrf}
                      class="inline"
                    >
                      <button type="submit">{t('travellers.pause')}</button>
                    </PostForm>
                  ) : null}{' '}
                  <a href={`/console/travellers/${u.userId}/lines/${l.lineId}/unlink`} class="button">
                    {t('travellers.unlink')}
                  </a>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('travellers.orders')}</h2>
      <table class="cards-on-phone">
        <tbody>
          {u.orders.map((o) => (
            <tr>
              <td>
                <a href={`/console/orders/${o.orderId}`}>{o.orderNumber}</a>
              </td>
              <td>{t(`state.${o.state}`)}</td>
              <td>{money(o)}</td>
              <td>{date(o.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Unlinking a line, confirmed: what it stops, and the button that does it. */
export function unlinkConfirmView(ctx: PageContext, u: TravellerView, lineId: string) {
  const { t } = ctx.locale;
  const line = u.lines.find((l) => l.lineId === lineId)!;
  const back = <a href={`/console/travellers/${u.userId}`}>{t('orders.cancel')}</a>;
  return (
    <>
      <p>{t('travellers.unlink_confirm', { line: line.masked, who: who(u) })}</p>
      <PostForm action={`/console/travellers/${u.userId}/lines/${lineId}/unlink`} csrf={ctx.csrf}>
        <button type="submit" class="danger">
          {t('travellers.unlink')}
        </button>{' '}
        {back}
      </PostForm>
    </>
  );
}

/**
 * One message to the traveller: the text typed, and (once previewed) the message exactly as the chat will show
 * it, in the traveller's language, with the Send button. `frame` is the chat's wording around the text.
 */
export function messageView(
  ctx: PageContext,
  u: TravellerView,
  draft: { text: string; key: string; problem: 'empty' | 'too_long' | null },
  preview: { before: string; after: string } | null,
) {
  const { t } = ctx.locale;
  const back = <a href={`/console/travellers/${u.userId}`}>{t('orders.cancel')}</a>;
  return (
    <>
      <p>{t('travellers.message.to', { who: who(u), language: languageName(ctx, u.language) })}</p>
      {draft.problem ? (
        <p class="warn" role="alert">
          {t(`travellers.message.${draft.problem}`, { max: OPERATOR_MESSAGE_MAX })}
        </p>
      ) : null}
      {preview ? (
        <>
          <h2>{t('travellers.message.preview')}</h2>
          <div class="card chat-preview" data-preview>
            <p class="pre">
              {preview.before}
              {draft.text}
              {preview.after}
            </p>
          </div>
          <PostForm action={`/console/travellers/${u.userId}/message`} csrf={ctx.csrf}>
            <input type="hidden" name="text" value={draft.text} />
            <input type="hidden" name="key" value={draft.key} />
            <button type="submit">{t('travellers.message.send')}</button> {back}
          </PostForm>
          <h2>{t('travellers.message.edit')}</h2>
        </>
      ) : null}
      <PostForm action={`/console/travellers/${u.userId}/message/preview`} csrf={ctx.csrf}>
        <label>
          {t('travellers.message.text')}
          <br />
          <textarea name="text" rows="6" maxlength={String(OPERATOR_MESSAGE_MAX)}>
            {draft.text}
          </textarea>
        </label>
        <p>
          <button type="submit">{t('travellers.message.show')}</button> {preview ? null : back}
        </p>
      </PostForm>
    </>
  );
}
