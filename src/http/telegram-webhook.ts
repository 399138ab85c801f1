import type { IncomingMessage, ServerResponse } from 'node:http';
import { webhookCallback, type Bot, type Context } from 'grammy';
import type { Update } from 'grammy/types';
import type { Route } from './server.js';

/** grammY's webhook handling over a body the server has already read. */
export function telegramWebhookRoute<C extends Context>(bot: Bot<C>, secretToken: string | undefined): Route {
  const adapter = (req: IncomingMessage, res: ServerResponse, body: Buffer) => ({
    update: Promise.resolve(JSON.parse(body.toString('utf8')) as Update),
    header: req.headers['x-telegram-bot-api-secret-token'] as string | undefined,
    end: () => res.end(),
    respond: (json: string) => res.writeHead(200, { 'content-type': 'application/json' }).end(json),
    unauthorized: () => res.writeHead(401).end('secret token is wrong'),
  });
  // Long work goes to the outbox and the jobs, so an update is handled well inside Telegram's wait.
  const handle = webhookCallback(bot, adapter, { secretToken, onTimeout: 'return', timeoutMilliseconds: 9_000 });
  return async (req, res, body) => {
    await handle(req, res, body);
  };
}
