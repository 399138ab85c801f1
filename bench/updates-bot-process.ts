/**
 * One bot under test, alone in its process (forked by bench/updates.ts): SUBJECT=bare|kuota,
 * API_ROOT (the Bot API fake), DATABASE_URL and WEBHOOK_URL/PORT for Kuota.
 * Tells its parent over IPC when it first asks for updates and which updates it has handled;
 * answers `{ ask: 'usage' }` with its CPU time and peak RSS.
 */
import type { Bot, Context } from 'grammy';
import type { Update } from 'grammy/types';
import path from 'node:path';

const send = (message: unknown) => process.send!(message);
const subject = process.env.SUBJECT ?? 'bare';
const apiRoot = process.env.API_ROOT!;
const token = '123456789:TEST_token_abcdefghijklmnopqrstu';
const botInfo = {
  id: 700000001,
  is_bot: true as const,
  first_name: 'Kuota',
  username: 'kuota_test_bot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

// SQL statements sent to the database, counted at the driver (what Prisma really sends, transactions included).
let statements = 0;
if (subject === 'kuota') {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const Sqlite = require('better-sqlite3');
  const Statement = new Sqlite(':memory:').prepare('SELECT 1').constructor;
  const exec = Sqlite.prototype.exec;
  Sqlite.prototype.exec = function (this: unknown, ...args: unknown[]) {
    statements++;
    return exec.apply(this, args);
  };
  for (const method of ['run', 'all', 'get', 'iterate'] as const) {
    const original = Statement.prototype[method];
    Statement.prototype[method] = function (this: { source: string }, ...args: unknown[]) {
      statements++;
      if (process.env.BENCH_SQL_LOG) process.stderr.write(`SQL ${this.source}\n`);
      return original.apply(this, args);
    };
  }
  const pg = (await import('pg')).default;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
    statements++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
}

/** CPU time this process has used since it began (the start's cost, less disturbed by a busy machine than its duration). */
function cpuSoFar(): number {
  const cpu = process.cpuUsage();
  return (cpu.user + cpu.system) / 1000;
}

let peakRss = 0;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50).unref();

// Handled updates go to the parent a group at a time, once per turn of the event loop.
let handled: number[] = [];
function done(update: Update) {
  if (!handled.length)
    setImmediate(() => {
      send({ handled });
      handled = [];
    });
  handled.push(update.update_id);
}

function instrument<C extends Context>(bot: Bot<C>) {
  let first = true;
  bot.api.config.use((prev, method, payload, signal) => {
    if (method === 'getUpdates' && first) {
      first = false;
      send({ firstGetUpdates: true, cpuMs: cpuSoFar() });
    }
    return prev(method, payload, signal);
  });
  const handle = bot.handleUpdate.bind(bot);
  bot.handleUpdate = async (update, envelope) => {
    if (process.env.BENCH_SQL_LOG)
      process.stderr.write(`UPDATE ${update.message?.text ?? update.callback_query?.data}\n`);
    try {
      return await handle(update, envelope);
    } finally {
      done(update);
    }
  };
}

let stop: () => Promise<void>;

if (subject === 'bare') {
  // grammY and its runner, one reply per update: the floor any bot on this stack starts from.
  const { Bot } = await import('grammy');
  const { run } = await import('@grammyjs/runner');
  const bot = new Bot(token, { client: { apiRoot }, botInfo });
  bot.on(['message', 'callback_query'], (ctx) => ctx.reply('ok'));
  instrument(bot);
  await bot.init();
  const runner = run(bot);
  stop = () => runner.stop();
} else if (subject === 'floor') {
  // Kuota's stack without Kuota: the Bot API calls Kuota makes for each kind of update (a tap is
  // answered and its message edited; Help sends and answers), then, by FLOOR_LEVEL, grammY's
  // sequentialize and auto-retry, the conversations plugin (state in memory) and i18next with the
  // main menu. No database and no logic of Kuota's own: what is left of Kuota's cost if its queries
  // and its code cost nothing. FLOOR_LEVEL=calls|conversations|stack (the default: all of it).
  const level = process.env.FLOOR_LEVEL ?? 'stack';
  const withConversations = level !== 'calls';
  const withI18n = level === 'stack';
  const { Bot, InlineKeyboard } = await import('grammy');
  const { run, sequentialize } = await import('@grammyjs/runner');
  const { autoRetry } = await import('@grammyjs/auto-retry');
  const { conversations, createConversation } = await import('@grammyjs/conversations');
  const { createI18n, pickLanguage } = await import('../src/bot/i18n.js');
  const { mainMenu } = await import('../src/bot/keyboards.js');
  const i18n = await createI18n();
  type T = (key: string, options?: Record<string, unknown>) => string;
  type FloorContext = Context & import('@grammyjs/conversations').ConversationFlavor<Context> & { t: T };
  const plain: T = (key) => key;
  const translate = (ctx: Context): T => (withI18n ? i18n.getFixedT(pickLanguage(ctx.from?.language_code)) : plain);
  const menu = (t: T) =>
    withI18n
      ? mainMenu(t as never)
      : new InlineKeyboard().text('Renew', 'm:renew').text('My numbers', 'm:numbers').row().text('Help', 'm:help');
  const plans = (t: T) =>
    new InlineKeyboard().text(t('renew.pick_plan'), 'p:1').row().text(t('common.main_menu'), 'm:home');
  const html = { parse_mode: 'HTML' as const };
  const bot = new Bot<FloorContext>(token, { client: { apiRoot }, botInfo });
  if (withConversations) {
    bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 10, rethrowHttpErrors: true }));
    bot.use(sequentialize((ctx) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  }
  bot.use((ctx, next) => {
    ctx.t = translate(ctx);
    return next();
  });
  if (withConversations) {
    bot.use(conversations());
    // As Kuota: a command or a menu tap leaves whatever conversation was waiting.
    bot.use(async (ctx, next) => {
      const leaves = ctx.callbackQuery !== undefined || (ctx.message?.text?.startsWith('/') ?? false);
      if (leaves && Object.keys(ctx.conversation.active()).length) await ctx.conversation.exitAll();
      return next();
    });
    bot.use(
      createConversation(async (conversation, ctx: Context) => {
        const t = translate(ctx);
        await ctx.reply(t('renew.pick_plan'), { ...html, reply_markup: plans(t) });
        for (;;) {
          const next = await conversation.wait();
          await next.reply(t('common.tap_a_button'), { ...html, reply_markup: plans(t) });
        }
      }, 'renew'),
    );
  }
  bot.command('start', (ctx) =>
    ctx.reply(ctx.t('menu.greeting', { name: ctx.from?.first_name }), { ...html, reply_markup: menu(ctx.t) }),
  );
  bot.hears(/^(renew|续费)$/i, (ctx) =>
    withConversations
      ? ctx.conversation.enter('renew')
      : ctx.reply(ctx.t('renew.pick_plan'), { ...html, reply_markup: plans(ctx.t) }),
  );
  bot.hears(/how much/i, (ctx) => ctx.reply(ctx.t('renew.pick_plan'), { ...html, reply_markup: plans(ctx.t) }));
  bot.callbackQuery('m:help', async (ctx) => {
    await ctx.reply(ctx.t('help.menu'), { ...html, reply_markup: menu(ctx.t) });
    await ctx.answerCallbackQuery();
  });
  bot.callbackQuery(/^m:/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t('menu.title'), { ...html, reply_markup: menu(ctx.t) });
  });
  instrument(bot);
  await bot.init();
  const runner = run(bot, { sink: { concurrency: 32 } }); // as Kuota's long polling
  stop = () => runner.stop();
} else {
  const { openDatabase } = await import('../src/adapters/db/client.js');
  const { createApp } = await import('../src/app.js');
  const { loadConfig } = await import('../src/config.js');
  const { createLogger } = await import('../src/logger.js');
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_API_ROOT: apiRoot,
    TELEGRAM_WEBHOOK_URL: process.env.WEBHOOK_URL ?? '',
    TELEGRAM_WEBHOOK_SECRET: 'bench_secret_0123456789abcdefghij',
    SUPPORT_CONTACT: '@kuota_bench',
    STRIPE_SECRET_KEY: 'sk_test_bench',
    STRIPE_WEBHOOK_SECRET: 'whsec_bench',
    HOST: '127.0.0.1',
  });
  const database = await openDatabase(config.DATABASE_URL);
  const { seedEmptyDatabase } = await import('../src/start-up/seed.js');
  const logger = createLogger({ level: config.LOG_LEVEL });
  const app = await createApp({ config, logger, database });
  await seedEmptyDatabase(config, app.services, logger);
  instrument(app.bot);
  await app.start({ port: Number(process.env.PORT ?? 0) });
  if (process.env.WEBHOOK_URL) send({ firstGetUpdates: true, cpuMs: cpuSoFar() }); // by webhook: ready to take updates
  stop = async () => {
    await app.stop();
    await database.close();
  };
}

/** The inspector's profiler, for BENCH_CPU_PROF=burst: the burst alone, without the start. */
async function openProfiler() {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  return session;
}
let profiler: Awaited<ReturnType<typeof openProfiler>> | undefined;

const cpuAtStart = process.cpuUsage();
// A failed profiler call is a broken bench run: the unhandled rejection ends it loudly, which is what we want.
// eslint-disable-next-line @typescript-eslint/no-misused-promises
process.on('message', async (message: { ask: string }) => {
  if (message.ask === 'usage') {
    const cpu = process.cpuUsage(cpuAtStart);
    const memory = process.memoryUsage();
    send({
      usage: {
        cpuMs: (cpu.user + cpu.system) / 1000,
        statements,
        memory,
        rss: memory.rss,
        peakRss: Math.max(peakRss, process.memoryUsage().rss),
      },
    });
  } else if (message.ask === 'resetPeak') {
    peakRss = 0;
    send({ peakReset: true });
  } else if (message.ask === 'profile-start') {
    profiler ??= await openProfiler();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
    send({ profiling: true });
  } else if (message.ask.startsWith('profile-stop:')) {
    const { profile } = (await profiler!.post('Profiler.stop')) as { profile: unknown };
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const file = message.ask.slice('profile-stop:'.length);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    send({ profiled: file });
  } else if (message.ask === 'stop') {
    await stop();
    process.exit(0);
  }
});
send({ ready: true });
