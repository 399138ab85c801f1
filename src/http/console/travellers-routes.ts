import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createI18n } from '../../bot/i18n.js';
import { OPERATOR_MESSAGE_MAX, TRAVELLER_FILTERS } from '../../services/console/travellers.js';
import { notFoundPage } from './auth-pages.js';
import { requires } from './guard.js';
import type { Markup } from './jsx.js';
import { page, type PageContext } from './layout.js';
import type { ConsolePluginOptions } from './options.js';
import { form, id, idParams, text } from './schemas.js';
import { messageView, TRAVELLER_RESULTS, travellersView, travellerView, unlinkConfirmView } from './travellers-page.js';

const lineParams = z.object({ id, lineId: id });
const ownerOnly = { preHandler: requires('traveller_actions') };
// The message as typed: kept whole (no trim of inner lines), bounded well above the limit the page explains.
const messageText = z
  .string()
  .max(OPERATOR_MESSAGE_MAX * 2)
  .default('');
const requestKey = z.string().regex(/^[\w-]{8,64}$/);
const PLACEHOLDER = '\u0001';

/** Travellers: the list, one traveller, and an owner's actions on them (pause, unlink, one message). */
export const travellerRoutes: FastifyPluginAsync<ConsolePluginOptions & { newKey(): string }> = async (plain, opts) => {
  const server = plain.withTypeProvider<ZodTypeProvider>();
  const { travellers } = opts.services;
  // The chat's own wording, for the preview of a message in the traveller's language.
  const chat = await createI18n();
  const send = (reply: FastifyReply, ctx: PageContext, title: string, body: Markup) =>
    reply.type('text/html; charset=utf-8').send(page(ctx, 'travellers', title, body));
  const notFound = (reply: FastifyReply) => {
    const ctx = reply.request.consoleCtx!;
    return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(ctx.locale, ctx));
  };
  const ctxOf = (request: FastifyRequest) => request.consoleCtx!;

  server.get(
    '/console/travellers',
    {
      schema: {
        querystring: z.object({
          q: text(100).default(''),
          filter: z.enum(TRAVELLER_FILTERS).default('all'),
          cursor: id.optional(),
        }),
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const { q, filter, cursor } = request.query;
      const [counts, { travellers: rows, next }] = await Promise.all([
        travellers.counts(),
        travellers.list({ q, filter, cursor }),
      ]);
      return send(reply, ctx, ctx.locale.t('nav.travellers'), travellersView(ctx, { q, filter }, counts, rows, next));
    },
  );

  server.get(
    '/console/travellers/:id',
    {
      schema: {
        params: idParams,
        querystring: z.object({ revealed: id.optional(), result: z.enum(TRAVELLER_RESULTS).optional() }),
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const traveller = await travellers.get(request.params.id);
      if (!traveller) return notFound(reply);
      // After a reveal: the number this operator has just revealed (and the audit log holds), read again, not revealed again.
      const lineId = request.query.revealed;
      const line = lineId ? await travellers.revealed(ctx.operatorId, lineId) : null;
      const revealed =
        line && line.userId === traveller.userId ? { lineId: lineId!, identifier: line.identifier } : null;
      return send(
        reply,
        ctx,
        String(traveller.telegramId),
        travellerView(ctx, traveller, revealed, request.query.result ?? null),
      );
    },
  );
  server.post('/console/lines/:id/reveal', { schema: { params: idParams, body: form({}) } }, async (request, reply) => {
    const line = await travellers.reveal(ctxOf(request).operatorId, request.params.id);
    if (!line) return notFound(reply);
    return reply.redirect(`/console/travellers/${line.userId}?revealed=${encodeURIComponent(request.params.id)}`, 303);
  });

  const back = (reply: FastifyReply, userId: string, result: string) =>
    reply.redirect(`/console/travellers/${userId}?result=${result}`, 303);

  server.post(
    '/console/travellers/:id/lines/:lineId/pause',
    { ...ownerOnly, schema: { params: lineParams, body: form({}) } },
    async (request, reply) => {
      const { id: userId, lineId } = request.params;
      return back(reply, userId, await travellers.pauseAutoRenew(ctxOf(request).operatorId, userId, lineId));
    },
  );

  server.get(
    '/console/travellers/:id/lines/:lineId/unlink',
    { ...ownerOnly, schema: { params: lineParams } },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const traveller = await travellers.get(request.params.id);
      const line = traveller?.lines.find((l) => l.lineId === request.params.lineId);
      if (!traveller || !line) return notFound(reply);
      // Already unlinked: the page says so instead of offering to do it again.
      if (line.unlinked) return back(reply, traveller.userId, 'not_linked');
      return send(reply, ctx, ctx.locale.t('travellers.unlink'), unlinkConfirmView(ctx, traveller, line.lineId));
    },
  );
  server.post(
    '/console/travellers/:id/lines/:lineId/unlink',
    { ...ownerOnly, schema: { params: lineParams, body: form({}) } },
    async (request, reply) => {
      const { id: userId, lineId } = request.params;
      const result = await travellers.unlinkLine(ctxOf(request).operatorId, userId, lineId);
      if (result === 'unlinked') opts.onQueued();
      return back(reply, userId, result);
    },
  );

  /** The chat's wording around the text, in the traveller's language, as plain text for the page. */
  const frame = (language: string) => {
    const html = chat.getFixedT(language)('team_message.text', {
      text: PLACEHOLDER,
      interpolation: { escapeValue: false },
    });
    const plain = html
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
    const [before = '', after = ''] = plain.split(PLACEHOLDER);
    return { before, after };
  };
  const problemOf = (typed: string) =>
    !typed.trim() ? ('empty' as const) : typed.length > OPERATOR_MESSAGE_MAX ? ('too_long' as const) : null;

  server.get(
    '/console/travellers/:id/message',
    { ...ownerOnly, schema: { params: idParams } },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const traveller = await travellers.get(request.params.id);
      if (!traveller) return notFound(reply);
      const draft = { text: '', key: opts.newKey(), problem: null };
      return send(reply, ctx, ctx.locale.t('travellers.message.write'), messageView(ctx, traveller, draft, null));
    },
  );
  server.post(
    '/console/travellers/:id/message/preview',
    { ...ownerOnly, schema: { params: idParams, body: form({ text: messageText }) } },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const traveller = await travellers.get(request.params.id);
      if (!traveller) return notFound(reply);
      const typed = request.body.text.trim();
      const problem = problemOf(typed);
      const draft = { text: typed, key: opts.newKey(), problem };
      return send(
        reply.code(problem ? 400 : 200),
        ctx,
        ctx.locale.t('travellers.message.write'),
        messageView(ctx, traveller, draft, problem ? null : frame(traveller.language)),
      );
    },
  );
  server.post(
    '/console/travellers/:id/message',
    { ...ownerOnly, schema: { params: idParams, body: form({ text: messageText, key: requestKey }) } },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const traveller = await travellers.get(request.params.id);
      if (!traveller) return notFound(reply);
      const typed = request.body.text.trim();
      const problem = problemOf(typed);
      if (problem)
        return send(
          reply.code(400),
          ctx,
          ctx.locale.t('travellers.message.write'),
          messageView(ctx, traveller, { text: typed, key: opts.newKey(), problem }, null),
        );
      const result = await travellers.sendMessage(ctx.operatorId, traveller.userId, typed, request.body.key);
      if (result === 'not_found') return notFound(reply);
      if (result === 'queued') opts.onQueued();
      return back(reply, traveller.userId, result === 'queued' ? 'message_queued' : result);
    },
  );
};
