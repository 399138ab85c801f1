import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { page } from './layout.js';
import type { ConsolePluginOptions } from './options.js';
import { OPERATOR_RESULTS, operatorsView } from './operators-page.js';
import { form } from './schemas.js';

// A Telegram user id: a positive whole number (they fit in 52 bits).
const telegramId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Operators and their roles: owners only (the section guard sees to it), each change audited. */
export const operatorRoutes: FastifyPluginAsync<ConsolePluginOptions> = async (plain, opts) => {
  const server = plain.withTypeProvider<ZodTypeProvider>();
  const { operators } = opts.services;

  server.get(
    '/console/operators',
    { schema: { querystring: z.object({ result: z.enum(OPERATOR_RESULTS).optional() }) } },
    async (request, reply) => {
      const ctx = request.consoleCtx!;
      return reply
        .type('text/html; charset=utf-8')
        .send(
          page(
            ctx,
            'operators',
            ctx.locale.t('nav.operators'),
            operatorsView(ctx, await operators.list(), request.query.result ?? null),
          ),
        );
    },
  );
  server.post(
    '/console/operators',
    { schema: { body: form({ telegramId: z.string().trim().max(40) }) } },
    async (request, reply) => {
      const id = telegramId.safeParse(request.body.telegramId);
      if (!id.success) return reply.redirect('/console/operators?result=bad_id', 303);
      const result = await operators.setSupport(request.consoleCtx!.operatorId, id.data, true);
      return reply.redirect(`/console/operators?result=${result === 'not_allowed' ? 'unchanged' : result}`, 303);
    },
  );
  server.post(
    '/console/operators/:id/remove',
    { schema: { params: z.object({ id: telegramId }), body: form({}) } },
    async (request, reply) => {
      const result = await operators.setSupport(request.consoleCtx!.operatorId, request.params.id, false);
      return reply.redirect(`/console/operators?result=${result === 'not_allowed' ? 'unchanged' : result}`, 303);
    },
  );
};
