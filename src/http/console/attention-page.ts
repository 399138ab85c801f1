import type { FastifyPluginAsync } from 'fastify';
import type { IssueView } from '../../services/reconciliation/attention.js';
import type { ReconcileResult } from '../../services/reconciliation/reconcile.js';
import { form, html, type Html } from './html.js';
import { page, type PageContext } from './layout.js';
import type { ConsolePluginOptions } from './options.js';

/** Open reconciliation issues, each with Resolve, and "Reconcile now". */
export function attentionView(ctx: PageContext, issues: IssueView[], ran: ReconcileResult | null): Html {
  const { t, money, date } = ctx.locale;
  const amount = (i: IssueView) =>
    i.amount.currency === 'XTR' ? t('attention.stars', { n: i.amount.amountMinor }) : money(i.amount);
  return html`${
      ran
        ? html`<p role="status" class="notice">
            ${ran.ran ? t('attention.ran', { n: ran.issues }) : t('attention.busy')}
          </p>`
        : ''
    }
    <p class="muted">${t('attention.hint')}</p>
    ${form('/console/attention/run', ctx.csrf, html`<button type="submit">${t('attention.run')}</button>`)}
    ${
      issues.length
        ? html`<table>
            <tr>
              <th>${t('attention.when')}</th>
              <th>${t('attention.what')}</th>
              <th>${t('attention.processor')}</th>
              <th>${t('attention.amount')}</th>
              <th>${t('attention.order')}</th>
              <th></th>
            </tr>
            ${issues.map(
              (i) =>
                html`<tr data-issue="${i.id}">
                  <td>${date(i.at)}</td>
                  <td>${t(`attention.kind.${i.kind}`)}<br /><span class="muted">${i.externalId}</span></td>
                  <td>${i.processor === 'stars' ? 'Telegram Stars' : 'Stripe'}</td>
                  <td>${amount(i)}</td>
                  <td>${i.orderId ? html`<a href="/console/orders/${i.orderId}">${i.orderNumber}</a>` : '—'}</td>
                  <td>
                    ${form(`/console/attention/${i.id}/resolve`, ctx.csrf, html`<button type="submit">${t('attention.resolve')}</button>`, 'class="inline"')}
                  </td>
                </tr>`,
            )}
          </table>`
        : html`<p>${t('attention.none')}</p>`
    }`;
}

/** The "Needs attention" page: reconciliation findings, resolved by an operator, and a run on demand. */
export const attentionRoutes: FastifyPluginAsync<ConsolePluginOptions> = async (server, opts) => {
  const { attention } = opts.services;
  const show = async (ctx: PageContext, ran: ReconcileResult | null) =>
    page(ctx, 'attention', ctx.locale.t('nav.attention'), attentionView(ctx, await attention.open(), ran));

  server.get('/console/attention', async (request, reply) =>
    reply.type('text/html; charset=utf-8').send(await show(request.consoleCtx!, null)),
  );
  server.post('/console/attention/run', async (request, reply) => {
    const ctx = request.consoleCtx!;
    const ran = await attention.runNow(ctx.operatorId);
    if (ran.issues) opts.onQueued();
    return reply.type('text/html; charset=utf-8').send(await show(ctx, ran));
  });
  server.post<{ Params: { id: string } }>('/console/attention/:id/resolve', async (request, reply) => {
    await attention.resolve(request.consoleCtx!.operatorId, request.params.id);
    return reply.redirect('/console/attention', 303);
  });
};
