import { languageLabelIn } from '../../domain/language-names.js';
import type { AuditRow } from '../../services/console/audit-log.js';
import type { BalanceReading } from '../../services/console/provider-balance.js';
import { Fragment, h, type Markup } from './jsx.js';
import { carrierName, phrase } from './labels.js';
import { PostForm, type PageContext } from './layout.js';
import { operatorName } from './orders-page.js';
import { RECORD_FIELDS, recordValueText } from './record-values.js';

export function providerView(
  ctx: PageContext,
  opts: {
    supported: boolean;
    reading: BalanceReading | null;
    thresholdMinor: number | undefined;
    unreachable: boolean;
  },
) {
  const { t, money, date } = ctx.locale;
  if (!opts.supported) return <p>{t('provider.unsupported')}</p>;
  const r = opts.reading;
  return (
    <>
      {opts.unreachable ? <p class="warn">{t('provider.unreachable')}</p> : null}
      {r ? (
        <div class="card">
          <span class="muted">{t('provider.balance')}</span>
          <b class={r.below ? 'warn' : undefined} data-balance>
            {money(r)}
          </b>
          {r.below ? (
            <>
              <span class="warn">{t('provider.below')}</span>
              <br />
            </>
          ) : null}
          <span class="muted">{t('provider.checked', { date: date(r.checkedAt) })}</span>
        </div>
      ) : null}
      <p>
        {opts.thresholdMinor !== undefined
          ? t('provider.threshold', {
              amount: money({ amountMinor: opts.thresholdMinor, currency: r?.currency ?? 'IDR' }),
            })
          : t('provider.no_threshold')}
      </p>
      <PostForm action="/console/provider/check" csrf={ctx.csrf}>
        <button type="submit">{t('provider.check')}</button>
      </PostForm>
    </>
  );
}

/** One recorded value in words: states, outcomes, languages and audiences as the operator reads them. */
function valueText(ctx: PageContext, field: string, value: unknown): string {
  const { t, date, number, language, field: labelled } = ctx.locale;
  if (value === null || value === undefined || value === '') return '—';
  const recorded = recordValueText(ctx, field, value);
  if (recorded !== null) return recorded;
  const scalar = typeof value === 'object' ? JSON.stringify(value) : `${value as string | number | boolean}`;
  if (field === 'state') return phrase(t, 'state', value);
  if (field === 'role') return phrase(t, 'operators.roles', value);
  if (field === 'result') return phrase(t, 'orders.result', value);
  if (field === 'refundedAt' || field === 'scheduledFor') return date(scalar);
  if (field === 'active') return value ? t('catalog.on_sale') : t('catalog.off_sale');
  if (field === 'language') return languageLabelIn(scalar, language);
  if (typeof value === 'number') return number(value);
  if (field === 'audience' && typeof value === 'object') {
    const a = value as { type?: string; carrier?: string; codes?: string[] };
    if (a.type === 'carrier') return labelled(t('notices.carrier'), carrierName(t, a.carrier ?? ''));
    if (a.type === 'plans') return labelled(t('notices.plans_short'), (a.codes ?? []).join(', '));
    return t('notices.all');
  }
  if (Array.isArray(value))
    return value.length
      ? value
          .map((v) => (typeof v === 'object' && v && 'code' in v ? String((v as { code: unknown }).code) : String(v)))
          .join(', ')
      : t('catalog.nothing');
  return typeof value === 'object' ? '' : scalar;
}

// The fields an audit entry records that mean something to an operator, in the order they are shown.
const FIELDS = [
  'state',
  'result',
  'failureReason',
  'refundedAt',
  'active',
  'language',
  'timezone',
  'role',
  'audience',
  'recipients',
  'added',
  'changed',
  'switchedOff',
  'unchanged',
  ...RECORD_FIELDS,
  'text',
  'scheduledFor',
] as const;

/** Before and after as readable changes: "State: Fulfilled → Refunded", one line a field that changed. */
export function Changes(props: { ctx: PageContext; before: unknown; after: unknown }): Markup {
  const { t } = props.ctx.locale;
  const before = (props.before ?? {}) as Record<string, unknown>;
  const after = (props.after ?? {}) as Record<string, unknown>;
  const lines = FIELDS.filter((f) => f in before || f in after)
    .filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]))
    .map((f) => {
      const was = f in before ? valueText(props.ctx, f, before[f]) : null;
      const now = valueText(props.ctx, f, after[f]);
      return <li>{props.ctx.locale.field(t(`audit.field.${f}`), was === null ? now : `${was} → ${now}`)}</li>;
    });
  return lines.length ? <ul class="changes">{lines}</ul> : <span class="muted">—</span>;
}

function Subject(props: { ctx: PageContext; about: AuditRow['about'] }): Markup {
  const { t } = props.ctx.locale;
  const a = props.about;
  if (!a) return <span class="muted">—</span>;
  if (a.kind === 'order') return <a href={`/console/orders/${a.id}`}>{a.label}</a>;
  if (a.kind === 'line' || a.kind === 'traveller') return <a href={`/console/travellers/${a.userId}`}>{a.label}</a>;
  if (a.kind === 'plan' || a.kind === 'esim') return <span>{a.label}</span>;
  if (a.kind === 'operator') return <span>{operatorName(props.ctx, a.telegramId)}</span>;
  return <a href={`/console/notices/${a.id}`}>{t('audit.a_notice')}</a>;
}

export function auditView(ctx: PageContext, entries: AuditRow[]) {
  const { t, date } = ctx.locale;
  if (!entries.length) return <p>{t('audit.none')}</p>;
  return (
    <table class="cards-on-phone" data-audit>
      <thead>
        <tr>
          <th>{t('audit.when')}</th>
          <th>{t('audit.who')}</th>
          <th>{t('audit.what')}</th>
          <th>{t('audit.subject')}</th>
          <th>{t('audit.change')}</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr>
            <td>{date(e.at)}</td>
            <td data-label={t('audit.who')}>{operatorName(ctx, e.actorId)}</td>
            <td data-label={t('audit.what')}>{phrase(t, 'audit.action', e.action)}</td>
            <td data-label={t('audit.subject')}>
              <Subject ctx={ctx} about={e.about} />
            </td>
            <td data-label={t('audit.change')}>
              <Changes ctx={ctx} before={e.before} after={e.after} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
