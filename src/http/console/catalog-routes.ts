import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PRICE_ROWS, type PlanForm } from '../../services/console/plan-form.js';
import { notFoundPage } from './auth-pages.js';
import { page } from './layout.js';
import type { ConsolePluginOptions } from './options.js';
import { PLAN_RESULTS, planFormView, type PlanResult } from './plan-form-page.js';
import { form, text } from './schemas.js';
import type { Problems } from './form-fields.js';

const field = text(200).default('');
const planCode = z.object({ code: text(64) });
const resultQuery = z.object({ result: z.enum(PLAN_RESULTS).optional() });

/** The plan form's fields: names per language, the price, a second price and further currencies. */
const planBody = (languages: string[]) =>
  form({
    code: field,
    carrier: field,
    kind: field,
    dataMb: field,
    validityDays: field,
    graceDays: field,
    starsPrice: field,
    cost: field,
    provider: z.enum(['', 'simulator', 'digiflazz', 'airalo']).default(''),
    providerSku: field,
    active: z.literal('on').optional(),
    ...Object.fromEntries(languages.map((l) => [`names.${l}`, field])),
    ...Object.fromEntries(
      ['price', 'altPrice', ...Array.from({ length: PRICE_ROWS }, (_, i) => `prices.${i}`)].flatMap((p) => [
        [`${p}.amount`, field],
        [`${p}.currency`, field],
      ]),
    ),
  });

function planFormFrom(body: Record<string, string | undefined>, languages: string[]): PlanForm {
  const money = (p: string) => ({ amount: body[`${p}.amount`] ?? '', currency: body[`${p}.currency`] ?? '' });
  return {
    code: body.code ?? '',
    carrier: body.carrier ?? '',
    kind: body.kind ?? '',
    dataMb: body.dataMb ?? '',
    validityDays: body.validityDays ?? '',
    graceDays: body.graceDays ?? '',
    price: money('price'),
    altPrice: money('altPrice'),
    prices: Array.from({ length: PRICE_ROWS }, (_, i) => money(`prices.${i}`)).filter((p) => p.amount || p.currency),
    starsPrice: body.starsPrice ?? '',
    cost: body.cost ?? '',
    provider: body.provider ?? '',
    providerSku: body.providerSku ?? '',
    names: Object.fromEntries(languages.map((l) => [l, body[`names.${l}`] ?? ''])),
    active: body.active === 'on',
  };
}

/**
 * Editing the catalog plan by plan, adding a plan, and the catalog as a file (owners only: the section
 * guard sees to it). Each change is audited; each post answers with a redirect, or the form again.
 */
export const catalogRoutes: FastifyPluginAsync<ConsolePluginOptions> = async (plain, opts) => {
  const server = plain.withTypeProvider<ZodTypeProvider>();
  const { catalog } = opts.services;
  const languages = Object.keys(opts.languages);
  const body = planBody(languages);

  const show = (
    request: FastifyRequest,
    reply: FastifyReply,
    f: PlanForm,
    how: { adding: boolean; problems?: Problems; result?: PlanResult | null },
  ) => {
    const ctx = request.consoleCtx!;
    const title = how.adding ? ctx.locale.t('catalog.form.new_plan') : f.code;
    return reply.type('text/html; charset=utf-8').send(
      page(
        ctx,
        'catalog',
        title,
        planFormView(ctx, {
          languages: opts.languages,
          form: f,
          problems: how.problems ?? {},
          adding: how.adding,
          result: how.result ?? null,
        }),
      ),
    );
  };
  const notFound = (reply: FastifyReply) => {
    const ctx = reply.request.consoleCtx!;
    return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(ctx.locale, ctx));
  };

  server.get('/console/catalog/add', async (request, reply) =>
    show(request, reply, (await catalog.form(null))!, { adding: true }),
  );
  server.post('/console/catalog/add', { schema: { body } }, async (request, reply) => {
    const f = planFormFrom(request.body, languages);
    const saved = await catalog.save(request.consoleCtx!.operatorId, null, f);
    if (!saved!.ok) return show(request, reply.code(422), f, { adding: true, problems: saved!.problems });
    return reply.redirect(`/console/catalog/plans/${encodeURIComponent(saved!.code)}?result=added`, 303);
  });

  server.get(
    '/console/catalog/plans/:code',
    { schema: { params: planCode, querystring: resultQuery } },
    async (request, reply) => {
      const f = await catalog.form(request.params.code);
      if (!f) return notFound(reply);
      return show(request, reply, f, { adding: false, result: request.query.result ?? null });
    },
  );
  server.post('/console/catalog/plans/:code', { schema: { params: planCode, body } }, async (request, reply) => {
    const { code } = request.params;
    const f = { ...planFormFrom(request.body, languages), code };
    const saved = await catalog.save(request.consoleCtx!.operatorId, code, f);
    if (!saved) return notFound(reply);
    if (!saved.ok) return show(request, reply.code(422), f, { adding: false, problems: saved.problems });
    const result = saved.changed ? 'saved' : 'unchanged';
    return reply.redirect(`/console/catalog/plans/${encodeURIComponent(code)}?result=${result}`, 303);
  });

  // The file `catalog:load` takes, so an owner can keep it, edit it offline, or move the catalog elsewhere.
  server.get('/console/catalog/export.json', async (_request, reply) =>
    reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', 'attachment; filename="kuota-catalog.json"')
      .send(`${JSON.stringify(await catalog.exportFile(), null, 2)}\n`),
  );
};
