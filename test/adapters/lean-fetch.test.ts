import { Api, GrammyError, HttpError, InputFile } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leanFetch } from '../../src/adapters/telegram/lean-fetch.js';
import { FakeTelegram } from '../fakes/telegram-api.js';
import { freePort, listen } from '../fakes/http.js';
import { TEST_TOKEN } from '../helpers/harness.js';

// The outbox's Bot API client: grammY over node:http instead of node-fetch. What a traveller receives
// and what the worker is told of refusals and outages must not change with it.
describe("the outbox's lean HTTP client", () => {
  let telegram: FakeTelegram;
  beforeEach(async () => {
    telegram = await FakeTelegram.start({ perSecond: 30, perChatPerSecond: 1 });
  });
  afterEach(() => telegram.close());

  const api = (apiRoot = telegram.url, timeoutSeconds?: number) =>
    new Api(TEST_TOKEN, { apiRoot, fetch: leanFetch as never, timeoutSeconds });

  it('sends a message with its buttons and hands back what Telegram answered', async () => {
    const sent = await api().sendMessage(42, 'Your plan ends <b>tomorrow</b> — ¿renovar? 续费', {
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Renew now', callback_data: 'rn:1' }]] },
    });
    expect(sent.chat.id).toBe(42);
    const call = telegram.calls.find((c) => c.method === 'sendMessage')!;
    expect(call.payload.text).toBe('Your plan ends <b>tomorrow</b> — ¿renovar? 续费');
    expect(call.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Renew now', callback_data: 'rn:1' }]] });
  });

  it('uploads a photo as multipart, as the eSIM QR code goes', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    await api().sendPhoto(42, new InputFile(png, 'esim-qr.png'), { caption: 'Scan me' });
    const call = telegram.calls.find((c) => c.method === 'sendPhoto')!;
    expect(call.payload.caption).toBe('Scan me');
  });

  it('reports a 429 with its retry_after, as the worker paces on it', async () => {
    telegram.rateLimitNext(1, 7);
    const refused = await api()
      .sendMessage(42, 'hello')
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GrammyError);
    expect((refused as GrammyError).error_code).toBe(429);
    expect((refused as GrammyError).parameters.retry_after).toBe(7);
  });

  it('reports an unreachable Bot API as a network error, which the worker retries', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const failed = await api(closed)
      .sendMessage(42, 'hello')
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(HttpError);
  });

  it('gives up on an answer that never comes after the timeout, and frees the connection', async () => {
    const silent = await listen(() => new Promise<void>(() => undefined));
    try {
      const failed = await api(silent.url, 1)
        .sendMessage(42, 'hello')
        .catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(HttpError);
      // The request is destroyed, not left waiting on a kept-alive socket: the server sees it close.
      const open = () => new Promise<number>((resolve) => silent.server.getConnections((_, n) => resolve(n)));
      await expect.poll(open).toBe(0);
    } finally {
      await silent.close();
    }
  });
});

// A server closes a kept-alive connection it thinks idle just as the client writes on it: Telegram's
// front end, or the Bot API fake of bench:wave, where 2 of 10,000 taps read the error text for it.
describe('a kept-alive connection the server reset', () => {
  const answered: string[] = [];
  const requestsOn = new WeakMap<object, number>();
  let resetFirstRequest = false;
  const api = (apiRoot: string) => new Api(TEST_TOKEN, { apiRoot, fetch: leanFetch as never });
  let server: Awaited<ReturnType<typeof listen>>;
  beforeEach(async () => {
    answered.length = 0;
    resetFirstRequest = false;
    server = await listen((req, body, res) => {
      const n = (requestsOn.get(req.socket) ?? 0) + 1;
      requestsOn.set(req.socket, n);
      // The second request on a connection, or (resetFirstRequest) the first: reset, unanswered.
      if (n === 2 || (resetFirstRequest && n === 1)) return void req.socket.resetAndDestroy();
      answered.push(body.toString());
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result: true }));
    });
  });
  afterEach(() => server.close());

  it('sends the call again on a new connection, once, and the traveller is answered', async () => {
    const telegram = api(server.url);
    await telegram.answerCallbackQuery('first');
    await expect(telegram.answerCallbackQuery('second')).resolves.toBe(true);
    expect(answered.map((b) => (JSON.parse(b) as { callback_query_id: string }).callback_query_id)).toEqual([
      'first',
      'second',
    ]);
  });

  it('sends again on a new connection, not on another kept-alive one the server closed too', async () => {
    const telegram = api(server.url);
    // Two connections kept alive, both reset at their next request.
    await Promise.all([telegram.answerCallbackQuery('first'), telegram.answerCallbackQuery('second')]);
    await expect(telegram.answerCallbackQuery('third')).resolves.toBe(true);
    expect(answered).toHaveLength(3);
  });

  it('does not send again what a new connection lost: Telegram may have it', async () => {
    resetFirstRequest = true;
    await expect(api(server.url).sendMessage(42, 'Your plan ends tomorrow')).rejects.toBeInstanceOf(HttpError);
    expect(answered).toEqual([]);
  });
});
