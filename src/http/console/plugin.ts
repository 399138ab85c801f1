import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { pickLanguage, supportedLanguages } from '../../bot/i18n.js';
import { notFoundPage, signInPage } from './auth-pages.js';
import { consoleLocale, type ConsoleLocale } from './i18n.js';
import { page, plainPage, type PageContext } from './layout.js';
import { foreignOrigin } from './origin.js';
import { badInputView, invalidFields } from './bad-input.js';
import { form } from './schemas.js';
import { isRoleRefusal, sectionGuard } from './guard.js';
import { operatorRoutes } from './operators-routes.js';
import { exportRoutes } from './export-routes.js';
import { settingsView, TIME_ZONES } from './settings-page.js';
import type { ConsolePluginOptions } from './options.js';
import { attentionRoutes } from './attention-page.js';
import { consoleRoutes } from './routes.js';
import { travellerRoutes } from './travellers-routes.js';
import { noticeRoutes } from './notices-routes.js';
import { catalogRoutes } from './catalog-routes.js';
import { storeRoutes } from './store-routes.js';

export type { ConsolePluginOptions };

export const SESSION_COOKIE = 'kuota_console';
// Outside src/, so the compiled build (dist/http/console/) finds it at the same place: three levels up.
const PUBLIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../public/console');
const CHART_DIR = path.dirname(createRequire(import.meta.url).resolve('chart.js'));

/**
 * Pages load only their own stylesheet and scripts (chart.js among them, served from node_modules):
 * no inline script or style, no framing, nothing posted elsewhere.
 */
const CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
};

declare module 'fastify' {
  interface FastifyRequest {
    consoleCtx?: PageContext;
  }
}

/**
 * The operator's console under /console: server-rendered pages, a session cookie from a one-time
 * link, CSRF tokens on every form, a plain 401/403 page for everyone else.
 */
export const consolePlugin: FastifyPluginAsync<ConsolePluginOptions> = async (server, opts) => {
  const secure = opts.publicUrl?.startsWith('https://') ?? false;
  const cookieOpts = { path: '/console', httpOnly: true, sameSite: 'strict' as const, secure };
  await server.register(fastifyCookie);
  await server.register(fastifyFormbody, { bodyLimit: 1024 * 1024 });
  await server.register(fastifyCsrf, { cookieKey: 'kuota_csrf', cookieOpts });
  await server.register(fastifyHelmet, {
    contentSecurityPolicy: CSP,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
  });

  // Someone not signed in reads the refusal in the first language their browser asks for, any of the ten.
  const guestLocale = (request: FastifyRequest): ConsoleLocale =>
    consoleLocale(
      opts.i18n,
      pickLanguage(
        String(request.headers['accept-language'] ?? '')
          .split(/[,;]/)[0]
          ?.trim(),
        supportedLanguages(),
      ),
      'UTC',
    );
  // A form posted from another site is refused before anything reads it (the CSRF token is the second lock).
  server.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'POST' || !foreignOrigin(request.headers.origin, request.headers.host, opts.publicUrl))
      return;
    request.log.info({ origin: request.headers.origin }, 'console post from another origin refused');
    return refuse(request, reply, 403);
  });
  const refuse = (request: FastifyRequest, reply: FastifyReply, status: 401 | 403, why?: 'role_forbidden') => {
    const l = request.consoleCtx?.locale ?? guestLocale(request);
    const kind = status === 401 ? 'unauthorized' : 'forbidden';
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(plainPage(l, l.t(`auth.${kind}_title`), l.t(`auth.${why ?? kind}`)));
  };

  server.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status === 403) return refuse(request, reply, 403, isRoleRefusal(error) ? 'role_forbidden' : undefined);
    if (status < 500) {
      request.log.info(
        { path: request.routeOptions.url, status, code: error.code, fields: invalidFields(error) },
        'console request refused',
      );
      const l = request.consoleCtx?.locale ?? guestLocale(request);
      const [title, text] = error.validation
        ? [l.t('common.bad_input_title'), l.t('common.bad_input')]
        : [String(status), l.t('auth.forbidden')];
      return reply
        .code(status)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(
          request.consoleCtx ? page(request.consoleCtx, null, title, badInputView(l, text)) : plainPage(l, title, text),
        );
    }
    request.log.error({ err: error, path: request.routeOptions.url }, 'console page failed');
    return reply
      .code(500)
      .type('text/html; charset=utf-8')
      .send(plainPage(guestLocale(request), '500', ''));
  });

  // The stylesheet and the script from public/console/, chart.js from its package: files, not strings.
  await server.register(fastifyStatic, {
    root: PUBLIC_DIR,
    prefix: '/console/assets/',
    cacheControl: true,
    maxAge: 0,
    index: false,
  });
  await server.register(fastifyStatic, {
    root: CHART_DIR,
    prefix: '/console/assets/vendor/',
    decorateReply: false,
    maxAge: 86_400_000,
    index: false,
    allowedPath: (pathName) => pathName === '/chart.umd.min.js',
  });

  // An address under /console that leads nowhere gets the console's own page, not JSON.
  await server.register(
    async (scope) => {
      scope.setNotFoundHandler(async (request, reply) => {
        const operator = await opts.services.auth.resume(request.cookies[SESSION_COOKIE]);
        const l = operator ? consoleLocale(opts.i18n, operator.language, operator.timezone) : guestLocale(request);
        const ctx = operator
          ? { locale: l, csrf: reply.generateCsrf(), operatorId: operator.operatorId, role: operator.role }
          : null;
        return reply
          .code(404)
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(notFoundPage(l, ctx));
      });
    },
    { prefix: '/console' },
  );

  // Signing in: the token is read through a schema like every other input (junk gets the 400 page).
  await server.register(async (plainScope) => {
    plainScope.setValidatorCompiler(validatorCompiler);
    const scope = plainScope.withTypeProvider<ZodTypeProvider>();
    const token = z.string().max(200).default('');
    scope.get('/console/sign-in', { schema: { querystring: z.object({ token }) } }, async (request, reply) => {
      const l = guestLocale(request);
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(signInPage(l, reply.generateCsrf(), request.query.token.replace(/[^\w-]/g, '')));
    });
    scope.post(
      '/console/sign-in',
      { preHandler: server.csrfProtection, schema: { body: form({ token }) } },
      async (request, reply) => {
        const result = await opts.services.auth.redeem(request.body.token);
        if ('error' in result) {
          const l = guestLocale(request);
          return reply
            .code(401)
            .type('text/html; charset=utf-8')
            .send(plainPage(l, l.t('auth.unauthorized_title'), l.t('auth.link_bad')));
        }
        reply.setCookie(SESSION_COOKIE, result.session, cookieOpts);
        return reply.redirect('/console', 303);
      },
    );
  });

  server.get('/console/signed-out', (request, reply) => {
    const l = guestLocale(request);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(plainPage(l, l.t('auth.signed_out_title'), l.t('auth.unauthorized')));
  });

  // Everything else needs a live session.
  server.register(async (scope) => {
    // Route input is read through each route's zod schema; what it refuses gets the console's 400 page.
    scope.setValidatorCompiler(validatorCompiler);
    // Who is asking, before their input is read, so that even a refusal of junk speaks their language.
    scope.addHook('onRequest', async (request, reply) => {
      const session = request.cookies[SESSION_COOKIE];
      const operator = await opts.services.auth.resume(session);
      if (!operator) return refuse(request, reply, 401);
      request.consoleCtx = {
        locale: consoleLocale(opts.i18n, operator.language, operator.timezone),
        csrf: reply.generateCsrf(),
        operatorId: operator.operatorId,
        role: operator.role,
        names: await opts.services.operators.names(),
      };
      reply.header('cache-control', 'no-store');
    });
    scope.addHook('preHandler', async (request, reply) => {
      if (request.method === 'POST') {
        await new Promise<void>((resolve, reject) =>
          server.csrfProtection.call(scope, request, reply, (err?: Error) => (err ? reject(err) : resolve())),
        );
      }
    });
    scope.post('/console/sign-out', async (request, reply) => {
      await opts.services.auth.signOut(request.cookies[SESSION_COOKIE]!);
      reply.clearCookie(SESSION_COOKIE, cookieOpts);
      return reply.redirect('/console/signed-out', 303);
    });
    // The operator's own language and timezone for the console (kept on the session: console-auth.ts says why).
    const settingsPage = (
      request: FastifyRequest,
      reply: FastifyReply,
      flash: { ok: boolean; text: string } | null,
    ) => {
      const ctx = request.consoleCtx!;
      return reply
        .type('text/html; charset=utf-8')
        .send(page(ctx, null, ctx.locale.t('nav.settings'), settingsView(ctx, opts.languages, flash)));
    };
    const typed = scope.withTypeProvider<ZodTypeProvider>();
    typed.get(
      '/console/settings',
      { schema: { querystring: z.object({ saved: z.literal('1').optional() }) } },
      (request, reply) =>
        settingsPage(
          request,
          reply,
          request.query.saved ? { ok: true, text: request.consoleCtx!.locale.t('prefs.saved') } : null,
        ),
    );
    typed.post(
      '/console/settings',
      { schema: { body: form({ language: z.string().max(20), timezone: z.string().max(64) }) } },
      async (request, reply) => {
        const { language, timezone } = request.body;
        const known = Object.hasOwn(opts.languages, language) && TIME_ZONES.includes(timezone);
        if (!known || !(await opts.services.auth.choose(request.cookies[SESSION_COOKIE]!, { language, timezone }))) {
          return settingsPage(request, reply.code(400), {
            ok: false,
            text: request.consoleCtx!.locale.t('prefs.bad_choice'),
          });
        }
        return reply.redirect('/console/settings?saved=1', 303);
      },
    );
    // Sections an operator's role does not open are refused before their handler runs.
    scope.addHook('preHandler', sectionGuard);
    const newKey = () => randomBytes(12).toString('base64url');
    await scope.register(consoleRoutes, { ...opts, newKey });
    await scope.register(travellerRoutes, { ...opts, newKey });
    await scope.register(noticeRoutes, { ...opts, newKey });
    await scope.register(operatorRoutes, opts);
    await scope.register(exportRoutes, opts);
    await scope.register(attentionRoutes, opts);
    await scope.register(catalogRoutes, opts);
    await scope.register(storeRoutes, opts);
  });
};
