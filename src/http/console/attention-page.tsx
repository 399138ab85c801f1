import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { form, idParams } from './schemas.js';
import { disputeNeedsResponse } from '../../domain/disputes.js';
import type { OpenDispute } from '../../services/console/orders.js';
import type { IssueView } from '../../services/reconciliation/attention.js';
import { Fragment, h, type Markup } from './jsx.js';
import { phrase } from './labels.js';
import { page, PostForm, type PageContext } from './layout.js';
import type { ConsolePluginOptions } from './options.js';

type Ran = { ran: boolean; issues: number };

/** Disputes still open in Stripe, the nearest deadline first: each is answered in the Stripe Dashboard. */
function OpenDisputes(props: { ctx: PageContext; disputes: OpenDispute[] }): Markup {
  const { t, money, date } = props.ctx.locale;
  if (!props.disputes.length) return <></>;
  return (
    <section data-open-disputes>
      <h2>{t('attention.disputes.title')}</h2>
      <p class="muted">{t('attention.disputes.hint')}</p>
      <table class="cards-on-phone">
        <thead>
          <tr>
            <th>{t('attention.disputes.due')}</th>
            <th>{t('attention.disputes.status')}</th>
            <th>{t('attention.amount')}</th>
            <th>{t('attention.order')}</th>
          </tr>
        </thead>
        <tbody>
          {props.disputes.map((d) => (
            <tr data-dispute-id={d.disputeId}>
              <td class={disputeNeedsResponse(d.status) ? 'warn' : undefined}>{d.dueBy ? date(d.dueBy) : '—'}</td>
              <td>
                {phrase(t, 'orders.dispute_status', d.status)}
                <br />
                <span class="muted">{d.disputeId}</span>
              </td>
              <td>{money(d.amount)}</td>
              <td>{d.orderId ? <a href={`/console/orders/${d.orderId}`}>{d.orderNumber}</a> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Open disputes, then open reconciliation issues, each with Resolve, and "Reconcile now". */
export function attentionView(
  ctx: PageContext,
  issues: IssueView[],
  ran: Ran | null,
  disputes: OpenDispute[] = [],
): Markup {
  const { t, money, date } = ctx.locale;
  const amount = (i: IssueView) =>
    i.amount.currency === 'XTR' ? t('attention.stars', { n: i.amount.amountMinor }) : money(i.amount);
  return (
    <>
      {ran ? (
        <p role="status" class="notice">
          {ran.ran ? t('attention.ran', { n: ran.issues }) : t('attention.busy')}
        </p>
      ) : null}
      <OpenDisputes ctx={ctx} disputes={disputes} />
      {disputes.length ? <h2>{t('attention.findings')}</h2> : null}
      <p class="muted">{t('attention.hint')}</p>
      <PostForm action="/console/attention/run" csrf={ctx.csrf}>
        <button type="submit">{t('attention.run')}</button>
      </PostForm>
      {issues.length ? (
        <table class="cards-on-phone">
          <thead>
            <tr>
              <th>{t('attention.when')}</th>
              <th>{t('attention.what')}</th>
              <th>{t('attention.processor')}</th>
              <th>{t('attention.amount')}</th>
              <th>{t('attention.order')}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {issues.map((i) => (
              <tr data-issue={i.id}>
                <td>{date(i.at)}</td>
                <td>
                  {t(`attention.kind.${i.kind}`)}
                  <br />
                  <span class="muted">{i.externalId}</span>
                </td>
                <td>{t(`orders.ledger.processors.${i.processor}`, { defaultValue: i.processor })}</td>
                <td>{amount(i)}</td>
                <td>{i.orderId ? <a href={`/console/orders/${i.orderId}`}>{i.orderNumber}</a> : '—'}</td>
                <td>
                  <PostForm action={`/console/attention/${i.id}/resolve`} csrf={ctx.csrf} class="inline">
                    <button type="submit">{t('attention.resolve')}</button>
                  </PostForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('attention.none')}</p>
      )}
    </>
  );
}

/**
 * The "Needs attention" page: reconciliation findings, resolved by an operator, and a run on demand.
 * Each action redirects (Post/Redirect/Get), so a reload runs nothing again.
 */
export const attentionRoutes: FastifyPluginAsync<ConsolePluginOptions> = async (plain, opts) => {
  const server = plain.withTypeProvider<ZodTypeProvider>();
  const { attention, orders } = opts.services;
  const query = z.object({
    ran: z.enum(['yes', 'busy']).optional(),
    issues: z.coerce.number().int().min(0).max(1_000_000).default(0),
  });
  server.get('/console/attention', { schema: { querystring: query } }, async (request, reply) => {
    const ctx = request.consoleCtx!;
    const { ran, issues } = request.query;
    const result = ran ? { ran: ran === 'yes', issues } : null;
    const [open, disputes] = await Promise.all([attention.open(), orders.openDisputes()]);
    const body = attentionView(ctx, open, result, disputes);
    return reply.type('text/html; charset=utf-8').send(page(ctx, 'attention', ctx.locale.t('nav.attention'), body));
  });
  server.post('/console/attention/run', { schema: { body: form({}) } }, async (request, reply) => {
    const ran = await attention.runNow(request.consoleCtx!.operatorId);
    if (ran.issues) opts.onQueued();
    return reply.redirect(`/console/attention?ran=${ran.ran ? 'yes' : 'busy'}&issues=${ran.issues}`, 303);
  });
  server.post(
    '/console/attention/:id/resolve',
    { schema: { params: idParams, body: form({}) } },
    async (request, reply) => {
      await attention.resolve(request.consoleCtx!.operatorId, request.params.id);
      return reply.redirect('/console/attention', 303);
    },
  );
};
