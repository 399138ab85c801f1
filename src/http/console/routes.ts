import { formatClaimCode } from '../../services/esim-partner/claim-codes.js';
import { esimPartnerView } from './esim-partner-page.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { renderSVG } from 'uqr';
import { catalogPreviewView, catalogView } from './catalog-page.js';
import { notFoundPage } from './auth-pages.js';
import { Fragment, h, type Markup } from './jsx.js';
import { page, type PageContext } from './layout.js';
import { auditView, providerView } from './misc-pages.js';
import { esimOrderSection } from './esim-order-section.js';
import { ACTION_NEEDS, confirmView, orderView, ordersView, type OrderAction } from './orders-page.js';
import { requires } from './guard.js';
import { form, idParams, orderActionParams, ordersQuery, text } from './schemas.js';
import { overviewView } from './overview-page.js';
import { reportsView } from './reports-page.js';
import type { ReportDays } from '../../domain/reports.js';
import { storesView } from './stores-page.js';
import { STORE_RESULTS } from './store-form-page.js';
import type { ConsolePluginOptions } from './options.js';

const withQuery = <Shape extends z.ZodRawShape>(shape: Shape) => ({ schema: { querystring: z.object(shape) } });
const providerQuery = z.object({
  optin: z.enum(['done', 'failed']).optional(),
  reason: text(300).optional(),
  read: z.enum(['ok', 'unreachable']).optional(),
  claim: z.enum(['issued', 'not_an_iccid', 'not_owned', 'provider_down']).optional(),
});
/** A claim code just issued, on its way to the one page that shows it (a cookie, never the address). */
const CLAIM_FLASH = 'kuota_claim';
const claimFlash = z.object({ operatorId: z.number(), code: z.string(), expiresAt: z.string() });
const CHART = '/console/assets/vendor/chart.umd.min.js';
const SCRIPT = '/console/assets/console.js';

/** The console's pages; each handler asks a service and renders, nothing more. */
export const consoleRoutes: FastifyPluginAsync<ConsolePluginOptions & { newKey(): string }> = async (plain, opts) => {
  const server = plain.withTypeProvider<ZodTypeProvider>();
  const { services } = opts;
  const ctxOf = (request: FastifyRequest): PageContext => request.consoleCtx!;
  const send = (
    reply: FastifyReply,
    ctx: PageContext,
    nav: Parameters<typeof page>[1],
    title: string,
    body: Markup,
    scripts: string[] = [SCRIPT],
  ) => reply.type('text/html; charset=utf-8').send(page(ctx, nav, title, body, scripts));
  const notFound = (reply: FastifyReply) => {
    const ctx = ctxOf(reply.request);
    return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(ctx.locale, ctx));
  };
  // A catalog file may be larger than a webhook body.
  const catalogBody = { bodyLimit: 1024 * 1024, schema: { body: form({ catalog: z.string().max(1024 * 1024) }) } };

  server.get('/console', async (request, reply) => {
    const ctx = ctxOf(request);
    const [overview, stars] = await Promise.all([
      services.overview.get(ctx.locale.timezone),
      services.starBalance.get(),
    ]);
    return send(reply, ctx, 'overview', ctx.locale.t('nav.overview'), overviewView(ctx, overview, stars), [
      CHART,
      SCRIPT,
    ]);
  });

  // Orders: search, one order, and its actions behind a confirmation.
  server.get('/console/orders', { schema: { querystring: ordersQuery } }, async (request, reply) => {
    const ctx = ctxOf(request);
    const q = request.query;
    const day = (s: string | undefined, plus = 0) =>
      s ? new Date(new Date(`${s}T00:00:00Z`).getTime() + plus) : undefined;
    const { orders, next } = await services.orders.search({
      q: q.q,
      state: q.state,
      from: day(q.from),
      to: day(q.to, 86_400_000),
      cursor: q.cursor || undefined,
    });
    const query = Object.fromEntries(
      Object.entries({ q: q.q, state: q.state, from: q.from, to: q.to }).filter(([, v]) => v),
    ) as Record<string, string>;
    return send(reply, ctx, 'orders', ctx.locale.t('nav.orders'), ordersView(ctx, query, orders, next));
  });
  server.get(
    '/console/orders/:id',
    {
      schema: {
        params: idParams,
        querystring: z.object({ result: z.string().max(40).optional(), iccid: z.literal('shown').optional() }),
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const detail = await services.orders.detail(request.params.id);
      if (!detail) return notFound(reply);
      const esim = await services.esims.ofOrder(detail.orderId);
      // After a reveal: the ICCID this operator has just revealed (and the audit log holds), read again.
      const revealed =
        esim && request.query.iccid ? await services.esims.revealed(ctx.operatorId, detail.orderId) : null;
      const section = esim ? esimOrderSection(ctx, detail.orderId, esim, revealed) : null;
      return send(
        reply,
        ctx,
        'orders',
        detail.orderNumber,
        orderView(ctx, detail, request.query.result ?? null, section),
      );
    },
  );
  server.post(
    '/console/orders/:id/esim/reveal',
    { schema: { params: idParams, body: form({}) } },
    async (request, reply) => {
      const { id } = request.params;
      if (!(await services.esims.reveal(ctxOf(request).operatorId, id))) return notFound(reply);
      return reply.redirect(`/console/orders/${id}?iccid=shown`, 303);
    },
  );
  server.post(
    '/console/orders/:id/esim/resend',
    { schema: { params: idParams, body: form({}) } },
    async (request, reply) => {
      const { id } = request.params;
      const sent = await services.esims.resend(ctxOf(request).operatorId, id);
      opts.onQueued();
      return reply.redirect(`/console/orders/${id}?result=${sent ? 'esim_resent' : 'not_fulfilled'}`, 303);
    },
  );
  const mayAct = async (request: FastifyRequest, action: OrderAction) => {
    const needs = ACTION_NEEDS[action];
    if (needs) await requires(needs)(request);
  };
  server.get(
    '/console/orders/:id/confirm/:action',
    { schema: { params: orderActionParams } },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const { action } = request.params;
      const detail = await services.orders.detail(request.params.id);
      if (!detail) return notFound(reply);
      await mayAct(request, action);
      return send(reply, ctx, 'orders', detail.orderNumber, confirmView(ctx, detail, action, opts.newKey()));
    },
  );
  server.post(
    '/console/orders/:id/:action',
    { schema: { params: orderActionParams, body: form({ key: z.string().max(100).optional() }) } },
    async (request, reply) => {
      const { operatorId } = ctxOf(request);
      const { id, action } = request.params;
      const detail = await services.orders.detail(id);
      if (!detail) return notFound(reply);
      await mayAct(request, action);
      // A disputed order offers no refund: a forged or stale form is answered the same way.
      if (action === 'refund' && detail.dispute)
        return reply.redirect(`/console/orders/${id}?result=not_refundable`, 303);
      const result =
        action === 'refund'
          ? await services.actions.refund(operatorId, id)
          : action === 'retry'
            ? await services.actions.retryTopUp(operatorId, id)
            : action === 'fail'
              ? await services.actions.markFailed(operatorId, id)
              : action === 'mark_refunded'
                ? await services.actions.markRefunded(operatorId, id)
                : await services.actions.resendReceipt(operatorId, id, request.body.key ?? opts.newKey());
      opts.onQueued();
      // A dispute opened after the page was drawn: the same answer as the form's own check above.
      return reply.redirect(`/console/orders/${id}?result=${result === 'disputed' ? 'not_refundable' : result}`, 303);
    },
  );

  // Catalog: costs and margins, on/off, import with a preview.
  const catalogPage = async (request: FastifyRequest, reply: FastifyReply, flash: string | null) => {
    const ctx = ctxOf(request);
    const { plans, priceListAvailable } = await services.catalog.plans(ctx.locale.language);
    return send(reply, ctx, 'catalog', ctx.locale.t('nav.catalog'), catalogView(ctx, plans, priceListAvailable, flash));
  };
  server.get('/console/catalog', withQuery({ applied: z.literal('1').optional() }), (request, reply) =>
    catalogPage(request, reply, request.query.applied ? ctxOf(request).locale.t('catalog.applied') : null),
  );
  server.post(
    '/console/catalog/:code/switch',
    {
      schema: {
        params: z.object({ code: text(64) }),
        body: form({ active: z.enum(['true', 'false']) }),
      },
    },
    async (request, reply) => {
      const { operatorId } = ctxOf(request);
      if (!(await services.catalog.setActive(operatorId, request.params.code, request.body.active === 'true')))
        return notFound(reply);
      return reply.redirect('/console/catalog', 303);
    },
  );
  const parseJson = (text: string | undefined): unknown => {
    try {
      return JSON.parse(text ?? '');
    } catch (error) {
      return { __invalid: (error as Error).message };
    }
  };
  const catalogFile = async (text: string | undefined) => {
    const json = parseJson(text);
    if (json && typeof json === 'object' && '__invalid' in json)
      return { ok: false as const, problems: [`JSON: ${String((json as { __invalid: string }).__invalid)}`] };
    return services.catalog.preview(json);
  };
  server.post('/console/catalog/preview', catalogBody, async (request, reply) => {
    const ctx = ctxOf(request);
    const preview = await catalogFile(request.body.catalog);
    return send(
      reply,
      ctx,
      'catalog',
      ctx.locale.t('catalog.preview'),
      catalogPreviewView(ctx, preview, request.body.catalog),
    );
  });
  server.post('/console/catalog/apply', catalogBody, async (request, reply) => {
    const ctx = ctxOf(request);
    const preview = await catalogFile(request.body.catalog);
    if (!preview.ok)
      return send(
        reply,
        ctx,
        'catalog',
        ctx.locale.t('catalog.preview'),
        catalogPreviewView(ctx, preview, request.body.catalog),
      );
    await services.catalog.apply(ctx.operatorId, parseJson(request.body.catalog));
    return reply.redirect('/console/catalog?applied=1', 303);
  });

  // Partner stores: each one's link for its counter, and the renewals it brought in.
  server.get('/console/stores', withQuery({ result: z.enum(STORE_RESULTS).optional() }), async (request, reply) => {
    const ctx = ctxOf(request);
    const stores = await services.stores.list(ctx.locale.timezone);
    return send(
      reply,
      ctx,
      'stores',
      ctx.locale.t('nav.stores'),
      storesView(ctx, stores, opts.storeLink, request.query.result ?? null),
    );
  });
  // The link as a QR code (uqr: no dependencies, SVG prints sharp at any size) for the store's counter.
  server.get('/console/stores/:id/qr.svg', { schema: { params: idParams } }, async (request, reply) => {
    if (!(await services.stores.exists(request.params.id))) return notFound(reply);
    return reply
      .type('image/svg+xml')
      .header('content-disposition', `inline; filename="kuota-${request.params.id}.svg"`)
      .send(renderSVG(opts.storeLink(request.params.id)));
  });

  // Provider balance, and the eSIM partner's balance, notification opt-ins and claim codes.
  const flashCookie = {
    path: '/console/provider',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: opts.publicUrl?.startsWith('https://') ?? false,
  };
  /** The claim code issued by this operator's last post, shown on this page only: reading it spends it. */
  const issuedClaimCode = (request: FastifyRequest, reply: FastifyReply): Markup | null => {
    const raw = request.cookies[CLAIM_FLASH];
    if (raw === undefined) return null;
    reply.clearCookie(CLAIM_FLASH, flashCookie);
    const ctx = ctxOf(request);
    const { t, date } = ctx.locale;
    const parsed = claimFlash.safeParse(parseJson(raw));
    // Another operator's code (a shared browser) or a cookie not made here: nothing is shown.
    if (!parsed.success || parsed.data.operatorId !== ctx.operatorId) return null;
    const { code, expiresAt } = parsed.data;
    return h(
      'div',
      { class: 'card', 'data-claim-code': true },
      h('b', null, formatClaimCode(code)),
      h('br', null),
      opts.claimLink?.(code) ?? '',
      h('br', null),
      h('span', { class: 'muted' }, t('provider.claim_until', { date: date(expiresAt) })),
    );
  };
  const providerPage = async (request: FastifyRequest, q: z.infer<typeof providerQuery>, reply: FastifyReply) => {
    const ctx = ctxOf(request);
    const { t } = ctx.locale;
    const claim = q.claim;
    const flash =
      claim === 'issued'
        ? issuedClaimCode(request, reply)
        : claim
          ? h('p', { class: 'warn' }, t(`provider.claim_${claim}`))
          : null;
    const partner = opts.esim?.supported ? await opts.esim.view() : null;
    const { optin, reason } = q;
    const optInNote =
      optin === 'done' && partner?.optIn
        ? h(
            'p',
            { class: 'ok' },
            t('provider.esim_opt_in_done', { type: partner.optIn.type, url: partner.optIn.contactPoint }),
          )
        : optin === 'failed'
          ? h('p', { class: 'warn' }, t('provider.esim_opt_in_failed', { reason: reason ?? '' }))
          : null;
    return send(
      reply,
      ctx,
      'provider',
      t('nav.provider'),
      h(
        Fragment,
        null,
        flash,
        optInNote,
        providerView(ctx, {
          supported: services.balance.supported,
          reading: await services.balance.last(),
          thresholdMinor: opts.balanceAlertBelowMinor,
          unreachable: q.read === 'unreachable',
        }),
        partner ? esimPartnerView(ctx, partner) : null,
      ),
    );
  };
  server.get('/console/provider', { schema: { querystring: providerQuery } }, (request, reply) =>
    providerPage(request, request.query, reply),
  );
  server.post('/console/provider/check', { schema: { body: form({}) } }, async (_request, reply) => {
    const reading = await services.balance.check();
    if (reading?.alerted) opts.onQueued();
    return reply.redirect(`/console/provider?read=${reading ? 'ok' : 'unreachable'}`, 303);
  });
  server.post(
    '/console/provider/esim-opt-in',
    { schema: { body: form({ type: z.enum(['low', 'credit']) }) } },
    async (request, reply) => {
      const type = request.body.type === 'credit' ? 'webhook_credit_limit' : 'webhook_low_data';
      const result = opts.esim ? await opts.esim.optIn(type) : { ok: false as const, reason: 'no eSIM partner' };
      const query = result.ok ? 'optin=done' : `optin=failed&reason=${encodeURIComponent(result.reason)}`;
      return reply.redirect(`/console/provider?${query}`, 303);
    },
  );
  // The code is shown once: it rides to the page redirected to in a one-time cookie, never in the address, so a
  // reload of that page issues no second code and writes no second audit entry.
  server.post(
    '/console/provider/claim-code',
    { schema: { body: form({ iccid: text(40) }) } },
    async (request, reply) => {
      const { operatorId } = ctxOf(request);
      if (!opts.esim) return notFound(reply);
      const issued = await opts.esim.claimCodes.issue(request.body.iccid, `console:${operatorId}`, operatorId);
      if (!issued.ok) return reply.redirect(`/console/provider?claim=${issued.reason}`, 303);
      const flash = { operatorId, code: issued.code, expiresAt: issued.expiresAt.toISOString() };
      reply.setCookie(CLAIM_FLASH, JSON.stringify(flash), { ...flashCookie, maxAge: 60 });
      return reply.redirect('/console/provider?claim=issued', 303);
    },
  );

  server.get(
    '/console/reports',
    { schema: { querystring: z.object({ days: z.enum(['7', '30', '90']).default('30') }) } },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const days = Number(request.query.days) as ReportDays;
      const report = await services.reports.get(days, ctx.locale.timezone);
      return send(reply, ctx, 'reports', ctx.locale.t('nav.reports'), reportsView(ctx, report), [CHART, SCRIPT]);
    },
  );

  server.get('/console/audit', async (request, reply) => {
    const ctx = ctxOf(request);
    return send(reply, ctx, 'audit', ctx.locale.t('nav.audit'), auditView(ctx, await services.auditLog()));
  });
};
