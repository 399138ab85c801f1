import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { WEEKDAYS } from '../../domain/stores.js';
import type { StoreForm } from '../../services/console/store-form.js';
import { notFoundPage } from './auth-pages.js';
import type { Problems } from './form-fields.js';
import { requires } from './guard.js';
import { page } from './layout.js';
import type { ConsolePluginOptions } from './options.js';
import { STORE_RESULTS, storeFormView, type StoreResult } from './store-form-page.js';
import { form, idParams, text } from './schemas.js';

const field = text(300).default('');
/** A checkbox group: absent, one value, or several (the form body parser gives an array for repeats). */
const checks = z
  .union([text(20), z.array(text(20)).max(20)])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
const storeBody = form({
  id: field,
  name: field,
  city: field,
  address: field,
  location: text(2000).default(''),
  timezone: text(64).default(''),
  phone: field,
  carriers: checks,
  sells: checks,
  active: z.literal('on').optional(),
  ...Object.fromEntries(
    WEEKDAYS.flatMap((d) => [
      [`hours.${d}.opens`, text(5).default('')],
      [`hours.${d}.closes`, text(5).default('')],
      [`hours.${d}.closed`, z.literal('on').optional()],
    ]),
  ),
});

function storeFormFrom(body: z.infer<typeof storeBody>): StoreForm {
  const b = body;
  const str = (k: string) => (typeof b[k] === 'string' ? b[k] : '');
  const list = (k: string) => (Array.isArray(b[k]) ? (b[k] as string[]) : []);
  return {
    id: str('id'),
    name: str('name'),
    city: str('city'),
    address: str('address'),
    location: str('location'),
    timezone: str('timezone'),
    phone: str('phone'),
    carriers: list('carriers'),
    sells: list('sells'),
    active: b.active === 'on',
    hours: Object.fromEntries(
      WEEKDAYS.map((d) => [
        d,
        { opens: str(`hours.${d}.opens`), closes: str(`hours.${d}.closes`), closed: b[`hours.${d}.closed`] === 'on' },
      ]),
    ) as StoreForm['hours'],
  };
}

/**
 * Adding, editing and switching off partner stores. Support sees the stores (they answer travellers
 * about them) but only an owner changes them: each route here asks for the `stores` permission.
 */
export const storeRoutes: FastifyPluginAsync<ConsolePluginOptions> = async (plain, opts) => {
  const server = plain.withTypeProvider<ZodTypeProvider>();
  const { stores } = opts.services;
  const { geocoder } = opts;
  const owner = { preHandler: requires('stores') };

  const show = (
    request: FastifyRequest,
    reply: FastifyReply,
    f: StoreForm,
    how: { adding: boolean; problems?: Problems; result?: StoreResult | null },
  ) => {
    const ctx = request.consoleCtx!;
    const title = how.adding ? ctx.locale.t('stores.form.new_store') : f.name || f.id;
    const view = storeFormView(ctx, {
      form: f,
      problems: how.problems ?? {},
      adding: how.adding,
      result: how.result ?? null,
      geocoder: !!geocoder,
    });
    // The map search runs in the console's script; a form without one needs none.
    const scripts = geocoder ? ['/console/assets/console.js'] : [];
    return reply.type('text/html; charset=utf-8').send(page(ctx, 'stores', title, view, scripts));
  };
  const notFound = (reply: FastifyReply) => {
    const ctx = reply.request.consoleCtx!;
    return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(ctx.locale, ctx));
  };

  // "Find on the map": the form's script asks here (the page may only call its own server), and this asks the geocoder.
  server.get(
    '/console/stores/geocode.json',
    { ...owner, schema: { querystring: z.object({ q: text(300).default('') }) } },
    async (request, reply) => {
      const { t } = request.consoleCtx!.locale;
      if (!geocoder) return reply.code(404).send({ found: false, message: '' });
      const address = request.query.q.trim();
      if (!address) return { found: false, message: t('stores.form.geocode.no_address') };
      const result = await geocoder.find(address);
      if (result.kind === 'found')
        return {
          found: true,
          location: `${+result.lat.toFixed(6)}, ${+result.lng.toFixed(6)}`,
          message: t('stores.form.geocode.found', { place: result.name }),
        };
      return {
        found: false,
        message: t(`stores.form.geocode.${result.kind === 'none' ? 'not_found' : 'unreachable'}`),
      };
    },
  );

  server.get('/console/stores/add', owner, async (request, reply) =>
    show(request, reply, (await stores.form(null))!, { adding: true }),
  );
  server.post('/console/stores/add', { ...owner, schema: { body: storeBody } }, async (request, reply) => {
    const f = storeFormFrom(request.body);
    const saved = (await stores.save(request.consoleCtx!.operatorId, null, f))!;
    if (!saved.ok) return show(request, reply.code(422), f, { adding: true, problems: saved.problems });
    return reply.redirect(`/console/stores/${saved.id}/edit?result=added`, 303);
  });

  server.get(
    '/console/stores/:id/edit',
    { ...owner, schema: { params: idParams, querystring: z.object({ result: z.enum(STORE_RESULTS).optional() }) } },
    async (request, reply) => {
      const f = await stores.form(request.params.id);
      if (!f) return notFound(reply);
      return show(request, reply, f, { adding: false, result: request.query.result ?? null });
    },
  );
  server.post(
    '/console/stores/:id/edit',
    { ...owner, schema: { params: idParams, body: storeBody } },
    async (request, reply) => {
      const { id } = request.params;
      const f = { ...storeFormFrom(request.body), id };
      const saved = await stores.save(request.consoleCtx!.operatorId, id, f);
      if (!saved) return notFound(reply);
      if (!saved.ok) return show(request, reply.code(422), f, { adding: false, problems: saved.problems });
      return reply.redirect(`/console/stores/${id}/edit?result=${saved.changed ? 'saved' : 'unchanged'}`, 303);
    },
  );

  server.post(
    '/console/stores/:id/switch',
    { ...owner, schema: { params: idParams, body: form({ active: z.enum(['true', 'false']) }) } },
    async (request, reply) => {
      const active = request.body.active === 'true';
      if (!(await stores.setActive(request.consoleCtx!.operatorId, request.params.id, active))) return notFound(reply);
      return reply.redirect(`/console/stores?result=${active ? 'switched_on' : 'switched_off'}`, 303);
    },
  );
};
