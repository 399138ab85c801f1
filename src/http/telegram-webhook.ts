import type { FastifyPluginAsync } from 'fastify';
import { BotError } from 'grammy';
import type { Update } from 'grammy/types';
import { sameSecret } from '../adapters/same-secret.js';
import type { Logger } from '../logger.js';
import { HttpRefusal } from './errors.js';

/** What the route needs of a grammY Bot. */
export type UpdateHandler = {
  handleUpdate(update: Update): Promise<void>;
  /** The handler bot.catch() set: the same answer and log line as in polling. */
  errorHandler(error: BotError<never>): unknown;
};

export type TelegramWebhookDeps = {
  bot: UpdateHandler;
  /** Telegram sends it back in X-Telegram-Bot-Api-Secret-Token; unset, every sender is believed. */
  secretToken: string | undefined;
  logger: Logger;
  /** Telegram gives up after about 10 s and sends the update again: answer before that. */
  answerWithinMs?: number;
};

const updateBody = {
  type: 'object',
  required: ['update_id'],
  properties: { update_id: { type: 'integer' } },
} as const;

/**
 * POST /webhooks/telegram. The secret is checked before the body is read; an update the bot failed on
 * is answered by the bot's error handler (as in polling) and confirmed with 200, so Telegram does not
 * send it again and again.
 */
export const telegramWebhookRoute: FastifyPluginAsync<TelegramWebhookDeps> = async (server, deps) => {
  const { bot } = deps;
  const underWay = new Set<Promise<void>>();
  const answerWithinMs = deps.answerWithinMs ?? 9_000;

  server.addHook('onRequest', async (request) => {
    if (deps.secretToken === undefined) return;
    const given = request.headers['x-telegram-bot-api-secret-token'];
    if (!sameSecret(typeof given === 'string' ? given : undefined, deps.secretToken))
      throw new HttpRefusal(401, 'secret token is wrong');
  });

  server.post(
    '/webhooks/telegram',
    { bodyLimit: 1024 * 1024, schema: { body: updateBody } },
    async (request, reply) => {
      const update = request.body as Update;
      const handling = bot
        .handleUpdate(update)
        .catch(async (error: unknown) => {
          if (error instanceof BotError) await bot.errorHandler(error as BotError<never>);
          else deps.logger.error({ err: error, updateId: update.update_id }, 'update failed');
        })
        .catch((error: unknown) =>
          deps.logger.error({ err: error, updateId: update.update_id }, 'error handler failed'),
        );
      underWay.add(handling);
      void handling.finally(() => underWay.delete(handling));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, answerWithinMs, 'late')));
      if ((await Promise.race([handling, late])) === 'late') {
        deps.logger.warn(
          { updateId: update.update_id },
          'update still running; confirmed to Telegram so it is not sent again',
        );
      }
      clearTimeout(timer);
      return reply.code(200).send();
    },
  );

  // An update confirmed after the timeout still finishes before the server closes.
  server.addHook('onClose', async () => {
    await Promise.allSettled([...underWay]);
  });
};
