import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ConsolePluginOptions } from './options.js';
import { ordersQuery } from './schemas.js';

const dayAfter = (day: string) => new Date(new Date(`${day}T00:00:00Z`).getTime() + 86_400_000);

/** CSV downloads, owners only (the section guard): streamed from the database as the browser reads them. */
export const exportRoutes: FastifyPluginAsync<ConsolePluginOptions> = async (plain, opts) => {
  const server = plain.withTypeProvider<ZodTypeProvider>();
  const { exports } = opts.services;
  const csv = (reply: FastifyReply, name: string, chunks: AsyncGenerator<string>) =>
    reply
      .type('text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="kuota-${name}-${new Date().toISOString().slice(0, 10)}.csv"`,
      )
      .send(Readable.from(chunks));

  // The same filter as the orders page, so the file holds what the operator was looking at.
  server.get('/console/exports/orders.csv', { schema: { querystring: ordersQuery } }, (request, reply) => {
    const { q, state, from, to } = request.query;
    return csv(
      reply,
      'orders',
      exports.orders(request.consoleCtx!.operatorId, {
        q,
        state,
        from: from ? new Date(`${from}T00:00:00Z`) : undefined,
        to: to ? dayAfter(to) : undefined,
      }),
    );
  });
  server.get('/console/exports/ledger.csv', (request, reply) =>
    csv(reply, 'ledger', exports.ledger(request.consoleCtx!.operatorId)),
  );
};
