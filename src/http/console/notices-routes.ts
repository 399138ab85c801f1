import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { zoneOffsetMs } from '../../domain/console.js';
import { audienceSchema, type Audience, type NoticeDraft } from '../../services/notices/notices.js';
import { notFoundPage } from './auth-pages.js';
import type { Markup } from './jsx.js';
import { page, type PageContext } from './layout.js';
import {
  composeView,
  NOTICE_RESULTS,
  noticeStatusView,
  previewView,
  type NoticeForm,
  type NoticeProblem,
} from './notices-page.js';
import type { ConsolePluginOptions } from './options.js';
import { audienceFields, form, idParams, noticeForm as noticeFormSchema } from './schemas.js';

type Q = Record<string, string | undefined>;
/** A notice may be scheduled up to a year ahead, and no sooner than a minute from now. */
const YEAR_MS = 366 * 86_400_000;

/** The wall-clock time typed in a datetime-local field, read in the operator's timezone, as an instant. */
function instantIn(local: string, timeZone: string): Date {
  const asUtc = new Date(`${local}:00Z`);
  return new Date(asUtc.getTime() - zoneOffsetMs(asUtc, timeZone));
}

/**
 * Notices: compose with a live and checked audience, preview every language, publish now or at a time,
 * follow delivery, cancel one not yet published. Owners only (the section guard sees to it).
 */
export const noticeRoutes: FastifyPluginAsync<ConsolePluginOptions & { newKey(): string }> = async (plain, opts) => {
  const server = plain.withTypeProvider<ZodTypeProvider>();
  const { notices } = opts.services;
  const languages = Object.keys(opts.languages);
  const ctxOf = (request: FastifyRequest): PageContext => request.consoleCtx!;
  const send = (reply: FastifyReply, ctx: PageContext, title: string, body: Markup) =>
    reply.type('text/html; charset=utf-8').send(page(ctx, 'notices', title, body, ['/console/assets/console.js']));
  const notFound = (reply: FastifyReply) => {
    const ctx = ctxOf(reply.request);
    return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(ctx.locale, ctx));
  };

  const noticeForm = (body: Q): NoticeForm => {
    const texts = (prefix: string) =>
      Object.fromEntries(languages.map((l) => [l, body[`${prefix}_${l}`]?.trim() ?? ''] as const).filter(([, v]) => v));
    return {
      titles: texts('title'),
      bodies: texts('body'),
      audienceType: body.audience ?? 'all',
      carrier: body.carrier ?? 'axis',
      codes: body.codes ?? '',
      when: body.when === 'later' ? 'later' : 'now',
      scheduledFor: body.scheduledFor ?? '',
    };
  };
  const codesOf = (codes: string) =>
    codes
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
  const audienceOf = (f: Pick<NoticeForm, 'audienceType' | 'carrier' | 'codes'>): Audience | null => {
    const parsed = audienceSchema.safeParse(
      f.audienceType === 'carrier'
        ? { type: 'carrier', carrier: f.carrier }
        : f.audienceType === 'plans'
          ? { type: 'plans', codes: codesOf(f.codes) }
          : { type: 'all' },
    );
    return parsed.success ? parsed.data : null;
  };

  /** What stops the form from being published, each in the operator's words; the draft and its time when nothing does. */
  const checked = async (
    f: NoticeForm,
    timezone: string,
  ): Promise<{ draft: NoticeDraft | null; at: Date | null; problems: NoticeProblem[] }> => {
    const problems: NoticeProblem[] = [];
    if (!f.titles[opts.defaultLanguage] || !f.bodies[opts.defaultLanguage])
      problems.push({ key: 'default_language', language: opts.defaultLanguage });
    for (const l of languages)
      if (Boolean(f.titles[l]) !== Boolean(f.bodies[l]) && l !== opts.defaultLanguage)
        problems.push({ key: 'half_written', language: l });
    const audience = audienceOf(f);
    if (f.audienceType === 'plans') {
      const codes = codesOf(f.codes);
      const unknown = codes.length ? await notices.unknownPlans(codes) : [];
      if (!codes.length) problems.push({ key: 'no_plans' });
      else if (unknown.length) problems.push({ key: 'unknown_plans', codes: unknown.join(', ') });
    }
    let at: Date | null = null;
    if (f.when === 'later') {
      at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(f.scheduledFor) ? instantIn(f.scheduledFor, timezone) : null;
      const now = Date.now();
      if (!at || Number.isNaN(at.getTime())) problems.push({ key: 'no_time' });
      else if (at.getTime() < now + 60_000 || at.getTime() > now + YEAR_MS) problems.push({ key: 'time_out_of_range' });
    }
    const draft = audience ? { titles: f.titles, bodies: f.bodies, audience } : null;
    if (!problems.length && (!draft || notices.check(draft).length)) problems.push({ key: 'incomplete' });
    return { draft: problems.length ? null : draft, at, problems };
  };

  const recentNotices = async () =>
    Promise.all(
      (await notices.recent(10)).map(async (n) => ({
        ...n,
        recipients: (await notices.status(n.id))?.recipients ?? 0,
      })),
    );
  const compose = async (
    reply: FastifyReply,
    ctx: PageContext,
    f: NoticeForm,
    problems: NoticeProblem[],
    count: number,
  ) =>
    send(
      reply,
      ctx,
      ctx.locale.t('notices.compose'),
      composeView(ctx, opts.languages, f, await recentNotices(), await notices.scheduled(), count, problems),
    );

  server.get('/console/notices', async (request, reply) => {
    const ctx = ctxOf(request);
    const draft: NoticeForm = {
      titles: {},
      bodies: {},
      audienceType: 'all',
      carrier: 'axis',
      codes: '',
      when: 'now',
      scheduledFor: '',
    };
    return compose(reply, ctx, draft, [], await notices.countAudience({ type: 'all' }));
  });
  server.get(
    '/console/notices/audience.json',
    { schema: { querystring: z.object(audienceFields) } },
    async (request) => {
      const { audience: audienceType, carrier, codes } = request.query;
      const audience = audienceOf({ audienceType, carrier, codes });
      const unknown =
        audienceType === 'plans' && codesOf(codes).length ? await notices.unknownPlans(codesOf(codes)) : [];
      return { count: audience ? await notices.countAudience(audience) : 0, unknownPlans: unknown };
    },
  );

  const noticeBody = { schema: { body: noticeFormSchema(languages) } };
  server.post('/console/notices/preview', noticeBody, async (request, reply) => {
    const ctx = ctxOf(request);
    const f = noticeForm(request.body);
    const { draft, at, problems } = await checked(f, ctx.locale.timezone);
    const count = draft ? await notices.countAudience(draft.audience) : 0;
    if (!draft) return compose(reply.code(400), ctx, f, problems, count);
    return send(
      reply,
      ctx,
      ctx.locale.t('notices.preview'),
      previewView(ctx, opts.languages, f, draft.audience, count, at, opts.newKey()),
    );
  });
  server.post('/console/notices/publish', noticeBody, async (request, reply) => {
    const ctx = ctxOf(request);
    const f = noticeForm(request.body);
    const { draft, at, problems } = await checked(f, ctx.locale.timezone);
    if (!draft) return compose(reply.code(400), ctx, f, problems, 0);
    const noticeId = request.body.noticeId ?? opts.newKey();
    if (at) {
      await notices.schedule(draft, ctx.operatorId, noticeId, at);
      return reply.redirect(`/console/notices/${noticeId}`, 303);
    }
    const published = await opts.services.publishNotice(ctx.operatorId, draft, noticeId);
    return reply.redirect(`/console/notices/${published.noticeId}`, 303);
  });
  server.get(
    '/console/notices/:id',
    { schema: { params: idParams, querystring: z.object({ result: z.enum(NOTICE_RESULTS).optional() }) } },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const [notice, status] = await Promise.all([notices.get(request.params.id), notices.status(request.params.id)]);
      if (!notice || !status) return notFound(reply);
      return send(
        reply,
        ctx,
        notice.titles[opts.defaultLanguage] ?? ctx.locale.t('nav.notices'),
        noticeStatusView(ctx, opts.languages, notice, status, request.query.result ?? null),
      );
    },
  );
  server.get('/console/notices/:id/status.json', { schema: { params: idParams } }, async (request, reply) => {
    const status = await notices.status(request.params.id);
    return status ?? notFound(reply);
  });
  server.post(
    '/console/notices/:id/cancel',
    { schema: { params: idParams, body: form({}) } },
    async (request, reply) => {
      const { id } = request.params;
      if (!(await notices.get(id))) return notFound(reply);
      const cancelled = await notices.cancel(id, ctxOf(request).operatorId);
      return reply.redirect(`/console/notices/${id}?result=${cancelled ? 'cancelled' : 'not_cancelled'}`, 303);
    },
  );
};
